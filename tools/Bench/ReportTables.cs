namespace Functions.Tools.Bench;

/// <summary>A column and whether its figures line up on the right.</summary>
internal sealed record ReportColumn(string Header, bool Numeric = true);

/// <summary>A table in no particular output format; <see cref="EmptyText"/> stands in for it when it has no rows.</summary>
internal sealed record ReportTable(string Title, string Note, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, string EmptyText);

/// <summary>
/// The tables of a bench report, one per concern, built once so the markdown and the terminal show the same figures:
/// cold start, warm invocations, size and memory, cost, goals.
/// </summary>
internal static class ReportTables
{
    private static readonly ReportColumn FunctionColumn = new("Function", Numeric: false);
    private static readonly ReportColumn ModeColumn = new("Mode", Numeric: false);
    private static readonly ReportColumn RanAtColumn = new("Ran at", Numeric: false);

    public static string Heading(BenchRun run) =>
        $"{run.Machine} · started {BenchFormat.Timestamp(run.StartedAt)} · prices of {run.PricesDate} · {BenchFormat.Percent(run.ColdShare)} of invocations cold";

    /// <summary>Every table; the streamed responses' only when a function streamed.</summary>
    public static IReadOnlyList<ReportTable> Build(BenchRun run) =>
        [Cold(run), ColdPhases(run), Warm(run), .. Streamed(run) is { Rows.Count: > 0 } streamed ? [streamed] : Array.Empty<ReportTable>(), Size(run), Cost(run), Goals(run)];

    public static ReportTable Cold(BenchRun run) => new(
        "Cold start",
        "Init: process start until the function asks for its first event. Cold total: init + first invocation, per sample.",
        [FunctionColumn, ModeColumn, RanAtColumn, new("Samples"), new("Init p50 (ms)"), new("Cold total p50 (ms)"), new("Cold total p99 (ms)")],
        run.Results.Where(r => r.Cold.Count > 0)
            .Select(r => Row(r.Function, r.Mode, r.RanAt, BenchFormat.Count(r.Cold.Count), BenchFormat.Ms(r.ColdInit?.P50), BenchFormat.Ms(r.ColdTotal?.P50), BenchFormat.Ms(r.ColdTotal?.P99)))
            .ToList(),
        "No cold starts were measured.");

    public static ReportTable ColdPhases(BenchRun run) => new(
        "Where the cold start goes",
        "p50 of each phase: runtime start (process start until Main: exec, loader, .NET's start-up), init code (Main until the handler is built: " +
        "services, clients), first request (until the Runtime API has the first /next), first invocation (the event handled and answered). " +
        "Only for functions on this toolkit's runtime, which says when Main began and init ended.",
        [FunctionColumn, ModeColumn, new("Runtime start (ms)"), new("Init code (ms)"), new("First request (ms)"), new("First invocation (ms)"), new("Cold total (ms)")],
        run.Results.Where(r => r.ColdPhases is not null)
            .Select(r => Row(r.Function, r.Mode, BenchFormat.Ms(r.ColdPhases!.Value.RuntimeStart.P50), BenchFormat.Ms(r.ColdPhases.Value.InitCode.P50),
                BenchFormat.Ms(r.ColdPhases.Value.FirstRequest.P50), BenchFormat.Ms(r.ColdDuration?.P50), BenchFormat.Ms(r.ColdTotal?.P50)))
            .ToList(),
        "No function said where its init went (only this toolkit's runtime does).");

    public static ReportTable Warm(BenchRun run) => new(
        "Warm invocations",
        "Duration of invocations after the first, in the same process.",
        [FunctionColumn, ModeColumn, RanAtColumn, new("Samples"), new("p50 (ms)"), new("p90 (ms)"), new("p99 (ms)"), new("max (ms)")],
        run.Results.Where(r => r.WarmMs.Count > 0)
            .Select(r => Row(r.Function, r.Mode, r.RanAt, BenchFormat.Count(r.WarmMs.Count), BenchFormat.Ms(r.Warm?.P50), BenchFormat.Ms(r.Warm?.P90), BenchFormat.Ms(r.Warm?.P99), BenchFormat.Ms(r.Warm?.Max)))
            .ToList(),
        "No warm invocations were measured.");

    public static ReportTable Streamed(BenchRun run) => new(
        "Streamed responses",
        "Warm invocations of functions that stream: time to first byte (the event's dispatch until the stream began) beside the whole " +
        "invocation. The caller sees the first byte that early; a buffered answer arrives only at the total.",
        [FunctionColumn, ModeColumn, RanAtColumn, new("Samples"), new("First byte p50 (ms)"), new("First byte p99 (ms)"), new("Total p50 (ms)"), new("Total p99 (ms)")],
        run.Results.Where(r => r.WarmFirstByteMs.Count > 0)
            .Select(r => Row(r.Function, r.Mode, r.RanAt, BenchFormat.Count(r.WarmFirstByteMs.Count), BenchFormat.Ms(r.WarmFirstByte?.P50), BenchFormat.Ms(r.WarmFirstByte?.P99), BenchFormat.Ms(r.Warm?.P50), BenchFormat.Ms(r.Warm?.P99)))
            .ToList(),
        "No function streamed its response.");

    public static ReportTable Size(BenchRun run) => new(
        "Size and memory",
        "Peak RSS: the process's high-water resident memory, what Lambda reports as Max Memory Used. MB are mebibytes.",
        [FunctionColumn, ModeColumn, new("Peak RSS (MB)"), new("unzipped (MB)"), new("zip (MB)"), new("Build (s)")],
        run.Results
            .Select(r => Row(r.Function, r.Mode, BenchFormat.Megabytes(r.PeakRss), BenchFormat.Megabytes(r.BootstrapBytes), BenchFormat.Megabytes(r.ZipBytes), BenchFormat.Seconds(r.BuildSeconds)))
            .ToList(),
        "Nothing was measured.");

    public static ReportTable Cost(BenchRun run)
    {
        var columns = new List<ReportColumn> { FunctionColumn, ModeColumn, new("Arch", Numeric: false), new("Memory (MB)"), new("per 1M requests") };
        columns.AddRange(run.RpsLevels.Select(rps => new ReportColumn($"month at {BenchFormat.Rps(rps)} rps")));
        var rows = run.Costs
            .OrderBy(c => c.Function, StringComparer.Ordinal).ThenBy(c => c.MemoryMb).ThenBy(c => ModeOrder.Rank(c.Mode)).ThenBy(c => c.Mode, StringComparer.Ordinal).ThenBy(c => c.Architecture, StringComparer.Ordinal)
            .Select(c =>
            {
                var cells = new List<string> { c.Function, c.Mode, c.Architecture, BenchFormat.Count(c.MemoryMb), BenchFormat.PerMillion(c.PerMillionRequests) };
                cells.AddRange(run.RpsLevels.Select(rps => c.Monthly.Where(m => m.Rps == rps).Select(m => BenchFormat.PerMonth(m.PerMonth)).FirstOrDefault() ?? BenchFormat.Missing));
                return (IReadOnlyList<string>)cells;
            })
            .ToList();
        return new ReportTable(
            "Cost (USD)",
            $"Lambda requests + HTTP API + DynamoDB units + compute, with {BenchFormat.Percent(run.ColdShare)} of invocations cold (init billed); " +
            $"each result at the memory size it ran at (other sizes run other durations: fn tune sweeps them). 30-day months priced with HTTP API's monthly tiers " +
            $"(prices.json; per 1M is the first tier's); us-east-1 prices of {run.PricesDate}, no free tier.",
            columns,
            rows,
            "No costs were computed.");
    }

    public static ReportTable Goals(BenchRun run) => new(
        "Goals",
        "Measured, not asserted: timings depend on the machine.",
        [new("Goal", Numeric: false), FunctionColumn, new("Measured"), new("Target"), new("Result", Numeric: false)],
        run.GoalChecks
            .Select(g => Row(g.Goal, g.Function, $"{BenchFormat.Number(g.Measured)} {g.Unit}", $"{BenchFormat.Number(g.Target)} {g.Unit}", g.Outcome))
            .ToList(),
        "No goal had all its inputs: run aot together with r2r and jit, and include Hello.");

    private static IReadOnlyList<string> Row(params string[] cells) => cells;
}
