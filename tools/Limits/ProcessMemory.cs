using System.Globalization;

namespace Functions.Tools.Limits;

/// <summary>Peak resident memory of a process, the figure Lambda reports as Max Memory Used.</summary>
public static class ProcessMemory
{
    /// <summary>VmHWM from /proc (Linux): the high-water mark of resident memory, in KiB; null once the process is gone.</summary>
    public static long? PeakResidentKib(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var digits = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>Lambda reports whole megabytes, rounded up.</summary>
    public static int ToMegabytes(long kib) => (int)Math.Ceiling(kib / 1024.0);
}
