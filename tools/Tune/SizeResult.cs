using Functions.Tools.Bench;

namespace Functions.Tools.Tune;

/// <summary>Everything measured at one memory size, and what a million invocations of it would cost.</summary>
public sealed record SizeResult(int MemoryMb, IReadOnlyList<SweepSample> Cold, IReadOnlyList<SweepSample> Warm, CostRow Cost)
{
    public Summary? Init => SummaryOf(Cold.Select(s => s.InitMs ?? 0));

    /// <summary>Init plus the first invocation: the cold start a caller sees.</summary>
    public Summary? ColdTotal => SummaryOf(Cold.Select(s => s.TotalMs));

    public Summary? WarmDuration => SummaryOf(Warm.Select(s => s.DurationMs));

    /// <summary>The 95th percentile of the warm durations (nearest rank: a duration that happened).</summary>
    public double? WarmP95 => Warm.Count == 0 ? null : Statistics.NearestRank(Warm.Select(s => s.DurationMs).Order().ToList(), 95);

    /// <summary>What Lambda bills a warm invocation on average, in whole milliseconds per invocation.</summary>
    public double? WarmBilledMs => Warm.Count == 0 ? null : Warm.Average(s => (double)s.BilledMs);

    public int MaxMemoryUsedMb => Cold.Concat(Warm).Select(s => s.MaxMemoryUsedMb).DefaultIfEmpty(0).Max();

    public decimal CostPerInvocation => Cost.PerMillionRequests / 1_000_000m;

    /// <summary>
    /// What the average caller waits for at the run's share of cold starts: the figure the speed strategy ranks by,
    /// as the cost model weighs the same share for the bill.
    /// </summary>
    public double ExpectedDurationMs(double coldShare) =>
        (1 - coldShare) * (WarmDuration?.Mean ?? ColdTotal?.Mean ?? 0) + coldShare * (ColdTotal?.Mean ?? WarmDuration?.Mean ?? 0);

    private static Summary? SummaryOf(IEnumerable<double> samples)
    {
        var list = samples.ToList();
        return list.Count == 0 ? null : Statistics.Summarize(list);
    }
}
