using System.Globalization;
using Functions.Tools.Bench;
using Functions.Tools.Limits;

namespace Functions.Tools.Tune;

/// <summary>The tables of a tune report, built once so the terminal and the Markdown show the same figures.</summary>
internal static class TuneTables
{
    public static string Heading(TuneRun run) =>
        $"{run.Machine} · started {BenchFormat.Timestamp(run.StartedAt)} · prices of {run.PricesDate} · {BenchFormat.Percent(run.ColdShare)} of invocations cold · strategy {TuneStrategies.Name(run.Strategy)}";

    public static IReadOnlyList<ReportTable> Build(TuneRun run) =>
        [.. run.Results.Select(r => Sweep(run, r)), Picks(run)];

    public static ReportTable Sweep(TuneRun run, TuneResult result)
    {
        var picks = TuneStrategies.All.ToLookup(s => result.Pick(s, run.ColdShare).MemoryMb);
        return new ReportTable(
            $"{result.Function} ({result.Architecture}, {result.Shaping})",
            "Init: start until the first /next. Cold total: init + first invocation. Billed: a warm invocation's mean, whole ms. " +
            $"Cost: Lambda requests + compute (init billed on cold starts) + HTTP API + DynamoDB units at {BenchFormat.Percent(run.ColdShare)} cold, first price tiers." +
            (result.ScalesWithMemory ? "" : " Not shaped: every size ran on the host's whole CPU, so duration does not follow memory here."),
            [
                new("Memory (MB)"), new("CPU", Numeric: false), new("Init p50 (ms)"), new("Cold total p50 (ms)"), new("Warm p50 (ms)"),
                new("Warm p95 (ms)"), new("Billed (ms)"), new("Max Memory Used (MB)"), new("per invocation"), new("per 1M"), new("Picked by", Numeric: false),
            ],
            result.Sizes.Select(s => (IReadOnlyList<string>)
            [
                BenchFormat.Count(s.MemoryMb), Cpu(s.MemoryMb), BenchFormat.Ms(s.Init?.P50), BenchFormat.Ms(s.ColdTotal?.P50), BenchFormat.Ms(s.WarmDuration?.P50),
                BenchFormat.Ms(s.WarmP95), BenchFormat.Ms(s.WarmBilledMs), BenchFormat.Megabytes((int?)s.MaxMemoryUsedMb),
                PerInvocation(s.CostPerInvocation), BenchFormat.PerMillion(s.Cost.PerMillionRequests),
                string.Join(", ", picks[s.MemoryMb].Select(TuneStrategies.Name)),
            ]).ToList(),
            "No size was measured.");
    }

    public static ReportTable Picks(TuneRun run) => new(
        "Picks",
        $"cost: least per invocation; speed: least expected duration (warm and cold at {BenchFormat.Percent(run.ColdShare)}); " +
        "balanced: least of the two, each scaled from the sweep's least (0) to its most (1), weighed equally. The run's strategy is marked.",
        [new("Function", Numeric: false), new("Strategy", Numeric: false), new("Memory (MB)"), new("Expected duration (ms)"), new("per 1M")],
        run.Results.SelectMany(r => TuneStrategies.All.Select(strategy =>
        {
            var pick = r.Pick(strategy, run.ColdShare);
            var name = TuneStrategies.Name(strategy) + (strategy == run.Strategy ? " ◀" : "");
            return (IReadOnlyList<string>)[r.Function, name, BenchFormat.Count(pick.MemoryMb), BenchFormat.Ms(pick.ExpectedDurationMs(run.ColdShare)), BenchFormat.PerMillion(pick.Cost.PerMillionRequests)];
        })).ToList(),
        "No function was tuned.");

    /// <summary>"$0.0000021034": a single invocation costs millionths of a dollar, so ten decimals keep its differences.</summary>
    public static string PerInvocation(decimal dollars) => "$" + dollars.ToString("0.0000000000", CultureInfo.InvariantCulture);

    private static string Cpu(int memoryMb) => LambdaShape.Describe(memoryMb).Split(" = ")[1];
}
