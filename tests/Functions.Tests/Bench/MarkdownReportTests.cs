using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class MarkdownReportTests
{
    private static readonly string Markdown = MarkdownReport.Write(SampleRuns.Run());

    [Fact]
    public void The_header_names_the_machine_the_date_the_prices_and_the_cold_share()
    {
        Assert.Contains("test-machine (x64, 2 cores) · started 2026-11-21 10:00 UTC · prices of 2025-08-01 · 1 % of invocations cold", Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cold_start_table_shows_init_p50_and_cold_total_p50_and_p99()
    {
        Assert.Contains(
            "| Function | Mode | Ran at | Samples | Init p50 (ms) | Cold total p50 (ms) | Cold total p99 (ms) |\n| --- | --- | --- | ---: | ---: | ---: | ---: |\n",
            Markdown, StringComparison.Ordinal);
        // Hello aot totals 12.8, 13.9, 16.2; inits 12, 13, 15.
        Assert.Contains("| Hello | aot | 128 MB, Lambda-shaped, 7.2 % of a vCPU (cgroup v1) | 3 | 13.0 | 13.9 | 16.2 |", Markdown, StringComparison.Ordinal);
        Assert.Contains("| Hello | jit | 128 MB, Lambda-shaped, 7.2 % of a vCPU (cgroup v1) | 3 | 200.0 | 230.0 | 275.0 |", Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cold_start_breakdown_shows_each_phase_at_p50_for_the_functions_that_said_where_their_init_went()
    {
        Assert.Contains(
            "| Function | Mode | Runtime start (ms) | Init code (ms) | First request (ms) | First invocation (ms) | Cold total (ms) |",
            Markdown, StringComparison.Ordinal);
        // Hello aot's phases (7, 3, 2), (8, 3, 2), (9, 4, 2); first invocations 0.8, 0.9, 1.2; totals 12.8, 13.9, 16.2.
        Assert.Contains("| Hello | aot | 8.00 | 3.00 | 2.00 | 0.90 | 13.9 |", Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Hello | jit | 2", Markdown.Split("Where the cold start goes")[1].Split("Warm invocations")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_warm_table_shows_p50_p90_p99_and_max()
    {
        // Hello aot warm 0.3 0.35 0.4 0.5: p50 rank 2 = 0.35; p90, p99 rank 4 = 0.5.
        Assert.Contains("| Hello | aot | 128 MB, Lambda-shaped, 7.2 % of a vCPU (cgroup v1) | 4 | 0.35 | 0.50 | 0.50 | 0.50 |", Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_table_shows_peak_RSS_sizes_in_MB_and_build_time()
    {
        Assert.Contains("| Hello | aot | 12 | 6.0 | 2.5 | 41.3 |", Markdown, StringComparison.Ordinal);
        Assert.Contains("| Hello | r2r | 42 | 70.0 | 30.0 | 20.0 |", Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cost_table_has_a_column_per_request_rate_and_a_row_per_result_at_the_size_it_ran_at()
    {
        Assert.Contains("| Function | Mode | Arch | Memory (MB) | per 1M requests | month at 1 rps | month at 100 rps | month at 1,000 rps |", Markdown, StringComparison.Ordinal);
        // Hello aot at 128 MB: warm mean 0.3875 ms billed 1 ms; cold mean 13.33 + 0.97 = 14.3 ms billed 15 ms.
        // 0.99 × 1 + 0.01 × 15 = 1.14 ms; 1,000,000 × 0.00114 s × 0.125 GB = 142.5 GB-s × $0.0000166667 = $0.0023750
        // $1.2023750 per million; × 2.592 = $3.1166 a month at 1 rps, $311.66 at 100. At 1,000 rps, 2,592 million
        // requests: $0.202375 × 2,592 = $524.56 besides the HTTP API, whose month is 300 × $1.00 + 2,292 × $0.90 =
        // $2,362.80 (not a flat $2,592: $229.20 less): $2,887.36.
        Assert.Contains("| Hello | aot | x86_64 | 128 | $1.2024 | $3.12 | $311.66 | $2,887.36 |", Markdown, StringComparison.Ordinal);
        Assert.Equal(4, Markdown.Split('\n').Count(line => line.Contains("| x86_64 |", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_goals_are_listed_with_their_outcome()
    {
        Assert.Contains("| AOT cold total p50 ≤ JIT's / 10 | Hello | 13.9 ms | 23 ms | met |", Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missed_goal_says_by_how_much()
    {
        var slow = SampleRuns.HelloAot with { Function = "Items.Create", Cold = [new ColdSample(30, 2, 25)], PeakRssMb = null };

        var markdown = MarkdownReport.Write(SampleRuns.Run(slow));

        // init 30 ms against 1.5 × Hello's 13 = 19.5 ms; 25 MB peak against 20.
        Assert.Contains("| AOT init p50 ≤ 1.5 × Hello's | Items.Create | 30 ms | 19.5 ms | missed by 10.5 ms |", markdown, StringComparison.Ordinal);
        Assert.Contains("| AOT peak RSS ≤ 20 MB | Items.Create | 25 MB | 20 MB | missed by 5 MB |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_that_streams_gets_its_time_to_first_byte_beside_its_total_and_a_run_without_one_no_such_table()
    {
        var markdown = MarkdownReport.Write(SampleRuns.Run(SampleRuns.ExportAot));

        Assert.Contains("| Function | Mode | Ran at | Samples | First byte p50 (ms) | First byte p99 (ms) | Total p50 (ms) | Total p99 (ms) |", markdown, StringComparison.Ordinal);
        // First bytes 2, 3, 4: p50 3, p99 4; totals 30, 40, 50: p50 40, p99 50.
        Assert.Contains("| Items.Export | aot | 256 MB, Lambda-shaped, 7.2 % of a vCPU (cgroup v1) | 3 | 3.00 | 4.00 | 40.0 | 50.0 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Streamed responses", Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipe_in_a_name_does_not_break_the_table()
    {
        var odd = SampleRuns.HelloAot with { Function = "Odd|Name" };

        var markdown = MarkdownReport.Write(SampleRuns.Run(odd));

        Assert.Contains("| Odd\\|Name | aot | 128 MB, Lambda-shaped, 7.2 % of a vCPU (cgroup v1) | 3 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_run_says_what_is_missing_instead_of_drawing_empty_tables()
    {
        var run = new BenchRun(DateTimeOffset.UnixEpoch, "m", [], [], 0.01, [1], "2025-08-01");

        var markdown = MarkdownReport.Write(run);

        Assert.Contains("No cold starts were measured.", markdown, StringComparison.Ordinal);
        Assert.Contains("No goal had all its inputs", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Function |", markdown, StringComparison.Ordinal);
    }
}
