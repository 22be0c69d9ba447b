using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class BenchResultsTests
{
    [Fact]
    public void Cold_total_adds_init_and_duration_per_sample_before_taking_percentiles()
    {
        // Arrange: the slowest init comes with the fastest first invocation.
        var result = new ModeResult("Hello", "jit", 0, 0, null,
            [new ColdSample(100, 10, 40), new ColdSample(200, 5, 40), new ColdSample(50, 100, 40)], [], null);

        // Act
        var total = result.ColdTotal!;

        // Assert: totals 110, 205, 150 -> p50 150; the p50s added separately would give 100 + 10 = 110.
        Assert.Equal((150.0, 205.0), (total.P50, total.P99));
        Assert.Equal((100.0, 10.0), (result.ColdInit!.P50, result.ColdDuration!.P50));
    }

    [Fact]
    public void Summaries_are_null_without_samples()
    {
        var result = new ModeResult("Hello", "aot", 1, 1, null, [], [], null);

        Assert.Null(result.ColdTotal);
        Assert.Null(result.ColdInit);
        Assert.Null(result.Warm);
        Assert.Null(result.PeakRss);
    }

    [Fact]
    public void Peak_RSS_falls_back_to_the_highest_cold_sample()
    {
        Assert.Equal(42, SampleRuns.HelloR2r.PeakRss);
        Assert.Equal(12, SampleRuns.HelloAot.PeakRss);
    }

    [Fact]
    public void Reports_with_init_duration_become_cold_samples_and_the_rest_warm()
    {
        var reports = new[]
        {
            new ReportLine("r1", 20.5, 171, 128, 19, 150.2),
            new ReportLine("r2", 1.5, 2, 128, 20, null),
            new ReportLine("r3", 2.5, 3, 128, 21, null),
        };

        var result = Assert.Single(ModeResult.FromReports(reports, "Items.Get"));

        Assert.Equal(("Items.Get", "logs"), (result.Function, result.Mode));
        Assert.Equal(new ColdSample(150.2, 20.5, 19), Assert.Single(result.Cold));
        Assert.Equal(new[] { 1.5, 2.5 }, result.WarmMs);
        Assert.Equal(21, result.PeakRss);
    }

    [Fact]
    public void Reports_from_different_memory_sizes_are_kept_apart()
    {
        var reports = new[]
        {
            new ReportLine("r1", 9, 9, 512, 30, null),
            new ReportLine("r2", 20, 20, 128, 30, null),
            new ReportLine("r3", 8, 8, 512, 30, null),
        };

        var results = ModeResult.FromReports(reports);

        Assert.Equal(new[] { ("deployed", "logs-128mb", 1, (int?)128), ("deployed", "logs-512mb", 2, 512) },
            results.Select(r => (r.Function, r.Mode, r.WarmMs.Count, r.MemorySizeMb)));
    }

    [Fact]
    public void No_reports_give_no_results()
    {
        Assert.Empty(ModeResult.FromReports([]));
    }
}
