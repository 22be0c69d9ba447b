namespace Functions.Tools.Limits;

/// <summary>What --cpu asks for: instances shaped as Lambda shapes them, or the host's CPU and memory unshaped.</summary>
public enum CpuMode
{
    Lambda,
    Host,
}

/// <summary>Lambda's arithmetic of CPU against memory size.</summary>
public static class LambdaShape
{
    /// <summary>
    /// "At 1,769 MB, a function has the equivalent of one vCPU" (Lambda developer guide, "Configuring memory"); the
    /// share is proportional below and above it, up to 6 vCPUs at 10,240 MB.
    /// </summary>
    public const int MegabytesPerVcpu = 1769;

    public const double MaxVcpus = 6;

    /// <summary>The CPU share of <paramref name="memoryMb"/>: 128 MB is 0.072 of a vCPU, 1,769 MB is 1.</summary>
    public static double Vcpus(int memoryMb) => Math.Min((double)memoryMb / MegabytesPerVcpu, MaxVcpus);

    /// <summary>
    /// Lambda's init phase is not held to the memory size's share: Michael Hart measured a 128 MB function's init
    /// running as fast as a 1,792 MB function's handler, and no difference between init and handler at 1,792 and
    /// 3,008 MB, then the largest size ("Shave 99.93% off your Lambda bill with this one weird trick", Dec 2019,
    /// https://hichaelmart.medium.com/shave-99-93-off-your-lambda-bill-with-this-one-weird-trick-33c0acebb2ea).
    /// So the quota applies from the first /next on, never during init; the init runs on the host's CPU.
    /// </summary>
    public const int InitBurstUpToMb = 3008;

    /// <summary>"256 MB = 14.5 % of a vCPU", "3,538 MB = 2 vCPUs".</summary>
    public static string Describe(int memoryMb)
    {
        var vcpus = Vcpus(memoryMb);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return vcpus < 1
            ? $"{memoryMb.ToString("N0", c)} MB = {(vcpus * 100).ToString("0.0", c)} % of a vCPU"
            : $"{memoryMb.ToString("N0", c)} MB = {vcpus.ToString("0.##", c)} vCPU{(vcpus == 1 ? "" : "s")}";
    }
}
