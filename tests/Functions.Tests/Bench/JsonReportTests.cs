using System.Text.Json;
using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class JsonReportTests
{
    private static readonly BenchRun Run = SampleRuns.Run();

    [Fact]
    public void Each_result_says_the_memory_size_and_the_CPU_it_ran_at()
    {
        using var json = JsonDocument.Parse(JsonReport.Write(Run));

        var hello = json.RootElement.GetProperty("results")[0];

        Assert.Equal(128, hello.GetProperty("memorySizeMb").GetInt32());
        var cpu = hello.GetProperty("cpu");
        Assert.Equal(Machine.CpuModel(), cpu.GetProperty("model").GetString());
        Assert.Equal(SampleRuns.Shaped, cpu.GetProperty("shaping").GetString());
        Assert.Equal($"128 MB, {SampleRuns.Shaped}", cpu.GetProperty("ranAt").GetString());
    }

    [Fact]
    public void Every_cold_and_warm_sample_reads_back_unchanged()
    {
        using var json = JsonDocument.Parse(JsonReport.Write(Run));

        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(Run.Results.Count, results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var cold = results[i].GetProperty("cold").EnumerateArray()
                .Select(s => new ColdSample(s.GetProperty("initMs").GetDouble(), s.GetProperty("durationMs").GetDouble(), s.GetProperty("peakRssMb").GetInt32())
                {
                    Phases = s.TryGetProperty("initPhases", out var phases)
                        ? new(phases.GetProperty("runtimeStartMs").GetDouble(), phases.GetProperty("initCodeMs").GetDouble(), phases.GetProperty("firstRequestMs").GetDouble())
                        : null,
                });
            var warm = results[i].GetProperty("warmMs").EnumerateArray().Select(s => s.GetDouble());
            Assert.Equal(Run.Results[i].Cold, cold);
            Assert.Equal(Run.Results[i].WarmMs, warm);
            Assert.Equal(Run.Results[i].Function, results[i].GetProperty("function").GetString());
            Assert.Equal(Run.Results[i].Mode, results[i].GetProperty("mode").GetString());
        }
    }

    [Fact]
    public void A_streaming_function_s_first_bytes_are_written_beside_its_warm_samples_and_others_have_none()
    {
        using var json = JsonDocument.Parse(JsonReport.Write(SampleRuns.Run(SampleRuns.ExportAot)));

        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        var export = results.Single(r => r.GetProperty("function").GetString() == "Items.Export");

        Assert.Equal([2.0, 3.0, 4.0], export.GetProperty("warmFirstByteMs").EnumerateArray().Select(s => s.GetDouble()));
        Assert.Equal(3, export.GetProperty("summaries").GetProperty("warmFirstByte").GetProperty("p50").GetDouble());
        Assert.All(results.Where(r => r.GetProperty("function").GetString() != "Items.Export"), r => Assert.False(r.TryGetProperty("warmFirstByteMs", out _)));
    }

    [Fact]
    public void Every_statistic_is_written()
    {
        using var json = JsonDocument.Parse(JsonReport.Write(Run));

        var hello = json.RootElement.GetProperty("results")[0].GetProperty("summaries");
        var total = hello.GetProperty("coldTotal");

        var expected = SampleRuns.HelloAot.ColdTotal!;
        Assert.Equal(
            expected,
            new Summary(total.GetProperty("count").GetInt32(), total.GetProperty("min").GetDouble(), total.GetProperty("p50").GetDouble(),
                total.GetProperty("p90").GetDouble(), total.GetProperty("p99").GetDouble(), total.GetProperty("max").GetDouble(), total.GetProperty("mean").GetDouble()));
        Assert.Equal(SampleRuns.HelloAot.Warm!.P50, hello.GetProperty("warm").GetProperty("p50").GetDouble());
        Assert.Equal(SampleRuns.HelloAot.ColdInit!.P99, hello.GetProperty("coldInit").GetProperty("p99").GetDouble());
        Assert.Equal(SampleRuns.HelloAot.ColdDuration!.Mean, hello.GetProperty("coldDuration").GetProperty("mean").GetDouble());
    }

    [Fact]
    public void Costs_keep_their_exact_decimal_figures_and_rates()
    {
        using var json = JsonDocument.Parse(JsonReport.Write(Run));

        var costs = json.RootElement.GetProperty("costs").EnumerateArray().ToList();

        Assert.Equal(Run.Costs.Select(c => c.PerMillionRequests), costs.Select(c => c.GetProperty("perMillionRequests").GetDecimal()));
        Assert.Equal(
            Run.Costs[0].Monthly,
            costs[0].GetProperty("monthly").EnumerateArray().Select(m => (m.GetProperty("rps").GetDouble(), m.GetProperty("perMonth").GetDecimal())));
    }

    [Fact]
    public void The_command_that_made_the_run_is_written_first_and_null_when_not_known()
    {
        using var known = JsonDocument.Parse(JsonReport.Write(Run with { Command = "fn bench Hello --cold 5" }));
        using var unknown = JsonDocument.Parse(JsonReport.Write(Run));

        Assert.Equal("command", known.RootElement.EnumerateObject().First().Name);
        Assert.Equal("fn bench Hello --cold 5", known.RootElement.GetProperty("command").GetString());
        Assert.Equal(JsonValueKind.Null, unknown.RootElement.GetProperty("command").ValueKind);
    }

    [Fact]
    public void The_run_settings_and_goals_are_written()
    {
        using var json = JsonDocument.Parse(JsonReport.Write(Run));
        var root = json.RootElement;

        Assert.Equal(Run.StartedAt, root.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(("test-machine (x64, 2 cores)", "2025-08-01", 0.01), (root.GetProperty("machine").GetString(), root.GetProperty("pricesDate").GetString(), root.GetProperty("coldShare").GetDouble()));
        Assert.Equal(new[] { 1.0, 100, 1000 }, root.GetProperty("rpsLevels").EnumerateArray().Select(r => r.GetDouble()));
        Assert.Equal(Run.GoalChecks.Select(g => (g.Goal, g.Met)), root.GetProperty("goals").EnumerateArray().Select(g => (g.GetProperty("goal").GetString()!, g.GetProperty("met").GetBoolean())));
    }

    [Fact]
    public void A_result_without_samples_writes_null_summaries()
    {
        var empty = new ModeResult("Hello", "aot", 0, 0, null, [], [], null);
        var run = new BenchRun(DateTimeOffset.UnixEpoch, "m", [empty], [], 0.01, [], "2025-08-01");

        using var json = JsonDocument.Parse(JsonReport.Write(run));

        var summaries = json.RootElement.GetProperty("results")[0].GetProperty("summaries");
        Assert.Equal(JsonValueKind.Null, summaries.GetProperty("coldTotal").ValueKind);
        Assert.Equal(JsonValueKind.Null, summaries.GetProperty("warm").ValueKind);
    }
}
