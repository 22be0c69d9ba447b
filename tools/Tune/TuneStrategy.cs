namespace Functions.Tools.Tune;

/// <summary>What a sweep optimizes for, as AWS Lambda Power Tuning names it.</summary>
public enum TuneStrategy
{
    /// <summary>The size whose invocation costs least.</summary>
    Cost,

    /// <summary>The size whose invocation ends soonest.</summary>
    Speed,

    /// <summary>The size with the least of cost and duration, each scaled from the sweep's least to its most, weighed equally.</summary>
    Balanced,
}

/// <summary>Which size each strategy picks from one function's sweep.</summary>
public static class TuneStrategies
{
    public static readonly IReadOnlyList<TuneStrategy> All = [TuneStrategy.Cost, TuneStrategy.Speed, TuneStrategy.Balanced];

    public static string Name(TuneStrategy strategy) => strategy.ToString().ToLowerInvariant();

    public static TuneStrategy? Parse(string text) =>
        All.Select(s => (TuneStrategy?)s).FirstOrDefault(s => Name(s!.Value) == text);

    /// <summary>
    /// The picked size. Ties go to the other figure (the cheaper of two equally fast sizes), then to the smaller size:
    /// among sizes that cost and run alike, the one that reserves least memory.
    /// </summary>
    public static SizeResult Pick(IReadOnlyList<SizeResult> sizes, TuneStrategy strategy, double coldShare)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count == 0)
        {
            throw new ArgumentException("A sweep has at least one size.", nameof(sizes));
        }
        // Scaled from least to most, not divided by the most: the HTTP API and DynamoDB charge every size alike, and
        // such a constant would shrink cost's differences until duration alone decided.
        var costs = Scale(sizes.Select(s => (double)s.CostPerInvocation).ToList());
        var durations = Scale(sizes.Select(s => s.ExpectedDurationMs(coldShare)).ToList());
        double Score(SizeResult s) => strategy switch
        {
            TuneStrategy.Cost => (double)s.CostPerInvocation,
            TuneStrategy.Speed => s.ExpectedDurationMs(coldShare),
            _ => 0.5 * costs((double)s.CostPerInvocation) + 0.5 * durations(s.ExpectedDurationMs(coldShare)),
        };
        double Tiebreak(SizeResult s) => strategy == TuneStrategy.Cost ? s.ExpectedDurationMs(coldShare) : (double)s.CostPerInvocation;
        return sizes.OrderBy(Score).ThenBy(Tiebreak).ThenBy(s => s.MemoryMb).First();
    }

    /// <summary>0 for the least of the values, 1 for the most; 0 for all when they are all the same.</summary>
    private static Func<double, double> Scale(IReadOnlyList<double> values)
    {
        var least = values.Min();
        var range = values.Max() - least;
        return value => range > 0 ? (value - least) / range : 0;
    }
}
