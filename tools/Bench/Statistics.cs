namespace Functions.Tools.Bench;

/// <summary>What a set of timings (or sizes) looks like at a glance; every percentile is a sample that was observed.</summary>
public sealed record Summary(int Count, double Min, double P50, double P90, double P99, double Max, double Mean);

public static class Statistics
{
    /// <summary>Sorts the samples once and reads every figure from the sorted copy.</summary>
    /// <exception cref="ArgumentException">No samples, or a sample that is NaN or infinite.</exception>
    public static Summary Summarize(IReadOnlyCollection<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("Cannot summarize zero samples.", nameof(samples));
        }
        if (samples.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("Every sample must be a finite number.", nameof(samples));
        }
        var sorted = samples.Order().ToArray();
        return new Summary(
            sorted.Length,
            sorted[0],
            NearestRank(sorted, 50),
            NearestRank(sorted, 90),
            NearestRank(sorted, 99),
            sorted[^1],
            sorted.Sum() / sorted.Length);
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest sample with at least <paramref name="percent"/> % of the samples at or
    /// below it, i.e. the sample at 1-based rank ceil(percent / 100 × n) of the sorted set. No interpolation, so a p99
    /// is a latency that really happened, and with fewer than 100 samples p99 is honestly the maximum.
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, int percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("Cannot take a percentile of zero samples.", nameof(sorted));
        }
        // percent × n is a whole number, exact in a double, so the division is the only rounding and ceil stays exact.
        var rank = (int)Math.Ceiling(percent * (double)sorted.Count / 100);
        return sorted[rank - 1];
    }
}
