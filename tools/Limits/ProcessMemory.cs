namespace Functions.Tools.Limits;

/// <summary>Peak resident memory of a process, the figure Lambda reports as Max Memory Used.</summary>
public static class ProcessMemory
{
    /// <summary>Lambda reports whole megabytes, rounded up.</summary>
    public static int ToMegabytes(long kib) => (int)Math.Ceiling(kib / 1024.0);
}
