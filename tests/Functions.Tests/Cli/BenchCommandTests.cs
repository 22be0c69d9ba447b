using System.Text.Json;
using System.Xml.Linq;
using Functions.Tests.Functions;

namespace Functions.Tests.Cli;

/// <summary>./fn bench end to end: real builds in every mode, real processes through the emulator, the three report files.</summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class BenchCommandTests
{
    /// <summary>ReadyToRun and JIT builds of Hello on a cold cache, then the run itself.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_small_bench_of_one_function_in_every_mode_writes_markdown_json_and_svg()
    {
        var output = Directory.CreateTempSubdirectory("fn-bench-");
        try
        {
            var result = await FnCli.RunAsync(Patience, null, "bench", "Hello", "--cold", "2", "--warm", "5", "--out", output.FullName);

            Assert.True(result.ExitCode == 0, result.Stderr);
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "bench.json"))).RootElement;
            var results = json.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(["aot", "r2r", "jit"], results.Select(r => r.GetProperty("mode").GetString()).Order(ModeComparer).ToList());
            Assert.All(results, r =>
            {
                Assert.Equal(2, r.GetProperty("cold").GetArrayLength());
                Assert.Equal(5, r.GetProperty("warmMs").GetArrayLength());
            });
            var markdown = File.ReadAllText(Path.Combine(output.FullName, "bench.md"));
            Assert.Contains("Hello", markdown, StringComparison.Ordinal);
            Assert.Contains("| aot", markdown, StringComparison.Ordinal);
            var svg = XDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "bench.svg")));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Contains("Hello", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Reads_and_deletes_meet_their_fixture_item_on_every_invocation()
    {
        // Each delete consumes the item of events/fixtures/items.json: without it put back before every
        // invocation, the second delete would answer 404 and the run would stop.
        var output = Directory.CreateTempSubdirectory("fn-bench-");
        try
        {
            var result = await FnCli.RunAsync(Patience, null, "bench", "Items.Delete", "Items.Get", "--modes", "aot", "--cold", "2", "--warm", "3", "--out", output.FullName);

            Assert.True(result.ExitCode == 0, result.Stderr);
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "bench.json"))).RootElement;
            Assert.Equal(["Items.Delete", "Items.Get"], json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("function").GetString()).Order(StringComparer.Ordinal).ToList());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Bench_from_logs_reads_REPORT_lines_of_a_deployed_function()
    {
        var output = Directory.CreateTempSubdirectory("fn-bench-logs-");
        var log = Path.Combine(output.FullName, "items-get.log");
        File.WriteAllLines(log,
        [
            "2026-11-20T10:00:00.000Z START RequestId: 8f5a0d5e-1f7c-4d8e-9a51-0c8b1c1b1a01 Version: $LATEST",
            "REPORT RequestId: 8f5a0d5e-1f7c-4d8e-9a51-0c8b1c1b1a01\tDuration: 21.30 ms\tBilled Duration: 170 ms\tMemory Size: 256 MB\tMax Memory Used: 31 MB\tInit Duration: 148.22 ms",
            "REPORT RequestId: 8f5a0d5e-1f7c-4d8e-9a51-0c8b1c1b1a02\tDuration: 4.10 ms\tBilled Duration: 5 ms\tMemory Size: 256 MB\tMax Memory Used: 31 MB",
            "REPORT RequestId: 8f5a0d5e-1f7c-4d8e-9a51-0c8b1c1b1a03\tDuration: 3.90 ms\tBilled Duration: 4 ms\tMemory Size: 256 MB\tMax Memory Used: 31 MB\tXRAY TraceId: 1-6b01ea30-ffd8e40137e5a4de8c1c4e81\tSegmentId: 4c0c8b1c1b1a0c8b\tSampled: true",
        ]);
        try
        {
            var result = await FnCli.RunAsync(Patience, null, "bench", "--from-logs", log, "--out", output.FullName);

            Assert.True(result.ExitCode == 0, result.Stderr);
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "bench.json"))).RootElement;
            var measured = json.GetProperty("results").EnumerateArray().Single();
            Assert.Equal(1, measured.GetProperty("cold").GetArrayLength());
            Assert.Equal(2, measured.GetProperty("warmMs").GetArrayLength());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_log_without_REPORT_lines_is_a_usage_error()
    {
        var log = Path.GetTempFileName();
        File.WriteAllText(log, "nothing to see\n");
        try
        {
            var result = await FnCli.RunAsync(Patience, null, "bench", "--from-logs", log);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("no Lambda REPORT lines", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task An_unknown_mode_is_a_usage_error()
    {
        var result = await FnCli.RunAsync(Patience, null, "bench", "Hello", "--modes", "aot,interpreted");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--modes", result.Stderr, StringComparison.Ordinal);
    }

    private static readonly Comparer<string?> ModeComparer = Comparer<string?>.Create((a, b) =>
        Array.IndexOf(["aot", "r2r", "jit"], a).CompareTo(Array.IndexOf(["aot", "r2r", "jit"], b)));

    [Fact]
    public async Task Pricing_other_memory_sizes_is_refused_and_points_to_tune()
    {
        // Act
        var result = await FnCli.RunAsync(TimeSpan.FromMinutes(1), null, "bench", "Hello", "--memory", "128,512");

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("./fn tune FUNCTION --memory", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
