namespace Functions.Tools.Tune;

/// <summary>One function's sweep: every size measured, and what shaped the figures.</summary>
public sealed record TuneResult(string Function, string Architecture, string Shaping, bool ScalesWithMemory, IReadOnlyList<SizeResult> Sizes)
{
    public SizeResult Pick(TuneStrategy strategy, double coldShare) => TuneStrategies.Pick(Sizes, strategy, coldShare);
}

/// <summary>A tune run: its functions' sweeps and the assumptions every figure rests on.</summary>
public sealed record TuneRun(
    DateTimeOffset StartedAt,
    string Machine,
    TuneStrategy Strategy,
    double ColdShare,
    string PricesDate,
    IReadOnlyList<TuneResult> Results)
{
    /// <summary>The command that made the run ("fn tune Items.Get --sizes 128,256"), for whoever reads its figures later; null when not known.</summary>
    public string? Command { get; init; }
}
