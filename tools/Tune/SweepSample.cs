namespace Functions.Tools.Tune;

/// <summary>
/// One invocation as its REPORT line gives it: Lambda's own figures for a deployed function, the emulator's for a
/// local one. A cold sample has the init phase's duration; billed time includes it, as Lambda bills since 2025-08-01.
/// </summary>
public sealed record SweepSample(double? InitMs, double DurationMs, long BilledMs, int MaxMemoryUsedMb)
{
    public bool IsCold => InitMs is not null;

    /// <summary>What the caller waited for, before the network: the init, if any, then the invocation.</summary>
    public double TotalMs => (InitMs ?? 0) + DurationMs;
}
