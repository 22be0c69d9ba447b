namespace Functions.Tools.Bench;

/// <summary>One bench run: what was measured, what it would cost, and the assumptions the costs rest on.</summary>
public sealed record BenchRun(
    DateTimeOffset StartedAt,
    string Machine,
    IReadOnlyList<ModeResult> Results,
    IReadOnlyList<CostRow> Costs,
    double ColdShare,
    IReadOnlyList<double> RpsLevels,
    string PricesDate)
{
    /// <summary>The command that made the run ("fn bench Hello --cold 5"), for whoever reads its figures later; null when not known.</summary>
    public string? Command { get; init; }

    /// <summary>The goals as met or missed by these results; computed, so every writer reports the same.</summary>
    public IReadOnlyList<GoalCheck> GoalChecks => Goals.Evaluate(Results);
}

/// <summary>A new execution environment: its init phase and first invocation, and the process's peak resident memory.</summary>
public sealed record ColdSample(double InitMs, double DurationMs, int PeakRssMb)
{
    /// <summary>Where the init went, when the function's runtime said (ours does; a deployed function's REPORT does not).</summary>
    public Instances.InitPhases? Phases { get; init; }

    /// <summary>What the first caller waits for (before the network): init, then the first invocation.</summary>
    public double TotalMs => InitMs + DurationMs;
}

/// <summary>
/// Everything measured for one function built one way (aot, r2r, jit; or "logs" for reports of a deployed function).
/// Sizes of 0 mean not measured (nothing is known about a deployed function's package from its logs).
/// BootstrapBytes is what Lambda unpacks: the bootstrap alone for AOT; bootstrap, runtime and assemblies for R2R and JIT.
/// </summary>
public sealed record ModeResult(
    string Function,
    string Mode,
    long BootstrapBytes,
    long ZipBytes,
    double? BuildSeconds,
    IReadOnlyList<ColdSample> Cold,
    IReadOnlyList<double> WarmMs,
    int? PeakRssMb)
{
    public Summary? ColdInit => SummaryOf(Cold.Select(s => s.InitMs));

    /// <summary>The first invocation's duration alone, after init.</summary>
    public Summary? ColdDuration => SummaryOf(Cold.Select(s => s.DurationMs));

    /// <summary>Init plus first invocation, per sample, then summarized: the cold start a caller sees.</summary>
    public Summary? ColdTotal => SummaryOf(Cold.Select(s => s.TotalMs));

    public Summary? Warm => SummaryOf(WarmMs);

    /// <summary>For a function that streams its response: each warm invocation's time to first byte (its total is <see cref="WarmMs"/>).</summary>
    public IReadOnlyList<double> WarmFirstByteMs { get; init; } = [];

    public Summary? WarmFirstByte => SummaryOf(WarmFirstByteMs);

    /// <summary>The init's phases, each summarized over the samples that had them; null when none did.</summary>
    public (Summary RuntimeStart, Summary InitCode, Summary FirstRequest)? ColdPhases =>
        Cold.Select(s => s.Phases).OfType<Instances.InitPhases>().ToList() is { Count: > 0 } phases
            ? (SummaryOf(phases.Select(p => p.RuntimeStartMs))!, SummaryOf(phases.Select(p => p.InitCodeMs))!, SummaryOf(phases.Select(p => p.FirstRequestMs))!)
            : null;

    /// <summary>The configured memory the samples ran with: the function's declared size locally, the REPORT's for logs.</summary>
    public int? MemorySizeMb { get; init; }

    /// <summary>
    /// The CPU the samples ran on, for every report to say beside them: "Lambda-shaped, 14.5 % of a vCPU (cgroup v1)", "host CPU, not shaped: ...", "emulated: arm64 under qemu-aarch64", or "deployed (Lambda)".
    /// </summary>
    public string? Cpu { get; init; }

    /// <summary>"256 MB, Lambda-shaped, 14.5 % of a vCPU (cgroup v1)": what every figure of the result ran at.</summary>
    public string RanAt => string.Join(", ", new[] { MemorySizeMb is { } mb ? $"{mb.ToString(System.Globalization.CultureInfo.InvariantCulture)} MB" : null, Cpu }.OfType<string>()) is { Length: > 0 } text
        ? text : "not known";

    /// <summary>The peak resident memory given for the mode, else the highest seen by any cold sample.</summary>
    public int? PeakRss => PeakRssMb ?? (Cold.Count > 0 ? Cold.Max(s => s.PeakRssMb) : null);

    /// <summary>
    /// Results from REPORT lines of a deployed function: reports with Init Duration are cold samples, the rest warm.
    /// One result per configured memory size, because on Lambda CPU scales with memory and mixing sizes would blur
    /// the percentiles; with several sizes the mode is suffixed with the size ("logs-512mb").
    /// </summary>
    public static IReadOnlyList<ModeResult> FromReports(IReadOnlyList<ReportLine> reports, string function = "deployed", string mode = "logs")
    {
        ArgumentNullException.ThrowIfNull(reports);
        var bySize = reports.GroupBy(r => r.MemorySizeMb).OrderBy(g => g.Key).ToList();
        return bySize.Select(size => new ModeResult(
                function,
                bySize.Count == 1 ? mode : $"{mode}-{size.Key}mb",
                BootstrapBytes: 0,
                ZipBytes: 0,
                BuildSeconds: null,
                size.Where(r => r.IsCold).Select(r => new ColdSample(r.InitDurationMs!.Value, r.DurationMs, r.MaxMemoryUsedMb)).ToList(),
                size.Where(r => !r.IsCold).Select(r => r.DurationMs).ToList(),
                size.Max(r => r.MaxMemoryUsedMb))
            {
                MemorySizeMb = size.Key,
                Cpu = size.Any(r => r.Emulator is not null) ? $"emulated: {size.First(r => r.Emulator is not null).Emulator}, figures are the emulator's" : "deployed (Lambda)",
            })
            .ToList();
    }

    private static Summary? SummaryOf(IEnumerable<double> samples)
    {
        var list = samples.ToList();
        return list.Count == 0 ? null : Statistics.Summarize(list);
    }
}
