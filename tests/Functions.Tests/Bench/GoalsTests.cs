using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class GoalsTests
{
    [Fact]
    public void The_sample_run_meets_every_goal_it_has_inputs_for()
    {
        var checks = Goals.Evaluate(SampleRuns.Run().Results);

        // Hello aot: cold total p50 13.9 vs jit 230 / 10 = 23 and r2r 96 / 3 = 32; warm 0.35 vs jit 0.7.
        // Items.Get aot: init p50 17 vs 1.5 × Hello's 13 = 19.5. Both: peak RSS and zip under the limits.
        Assert.Equal(
            new[]
            {
                (Goals.ColdVersusJit, "Hello", 13.9, 23.0),
                (Goals.ColdVersusR2r, "Hello", 13.9, 32.0),
                (Goals.PeakRss, "Hello", 12.0, 20.0),
                (Goals.ZipSize, "Hello", 2.5, 5.0),
                (Goals.WarmVersusJit, "Hello", 0.35, 0.7),
                (Goals.InitVersusHello, "Items.Get", 17.0, 19.5),
                (Goals.PeakRss, "Items.Get", 15.0, 20.0),
                (Goals.ZipSize, "Items.Get", 3.0, 5.0),
            },
            checks.Select(c => (c.Goal, c.Function, Math.Round(c.Measured, 6), Math.Round(c.Target, 6))));
        Assert.All(checks, check => Assert.Equal("met", check.Outcome));
    }

    [Fact]
    public void A_cold_start_above_a_tenth_of_JITs_is_missed_by_the_difference()
    {
        var results = new[]
        {
            Result("Hello", "aot", coldInit: 38, coldDuration: 2),
            Result("Hello", "jit", coldInit: 280, coldDuration: 20),
        };

        var check = Goals.Evaluate(results).Single(c => c.Goal == Goals.ColdVersusJit);

        // 40 ms against 300 / 10 = 30 ms
        Assert.False(check.Met);
        Assert.Equal("missed by 10 ms", check.Outcome);
    }

    [Fact]
    public void A_CRUD_function_whose_init_is_far_above_Hellos_misses()
    {
        var results = new[] { Result("Hello", "aot", coldInit: 10, coldDuration: 1), Result("Items.List", "aot", coldInit: 25, coldDuration: 1) };

        var check = Goals.Evaluate(results).Single(c => c.Goal == Goals.InitVersusHello);

        Assert.Equal(("Items.List", 25.0, 15.0, false), (check.Function, check.Measured, check.Target, check.Met));
    }

    [Fact]
    public void Peak_RSS_and_zip_over_their_limits_are_missed_in_megabytes()
    {
        var heavy = Result("Hello", "aot", coldInit: 10, coldDuration: 1) with { PeakRssMb = 23, ZipBytes = 6 * 1024 * 1024 };

        var checks = Goals.Evaluate([heavy]);

        Assert.Equal("missed by 3 MB", checks.Single(c => c.Goal == Goals.PeakRss).Outcome);
        Assert.Equal("missed by 1 MB", checks.Single(c => c.Goal == Goals.ZipSize).Outcome);
    }

    [Fact]
    public void AOT_warm_invocations_slower_than_JITs_miss()
    {
        var results = new[]
        {
            Result("Hello", "aot", 10, 1) with { WarmMs = [0.9, 1.0, 1.1] },
            Result("Hello", "jit", 200, 20) with { WarmMs = [0.5, 0.6, 0.7] },
        };

        var check = Goals.Evaluate(results).Single(c => c.Goal == Goals.WarmVersusJit);

        Assert.Equal("missed by 0.4 ms", check.Outcome);
    }

    [Fact]
    public void Goals_whose_inputs_were_not_measured_are_left_out()
    {
        // Only aot, no Hello, sizes unknown (0), no memory figure: nothing can be checked.
        var onlyAot = new ModeResult("Items.Get", "aot", 0, 0, null, [], [1.0, 2.0], null);

        Assert.Empty(Goals.Evaluate([onlyAot]));
    }

    [Fact]
    public void Goals_compare_only_the_same_function()
    {
        var results = new[] { Result("Items.Get", "aot", 40, 2), Result("Hello", "jit", 100, 10) };

        Assert.DoesNotContain(Goals.Evaluate(results), c => c.Goal == Goals.ColdVersusJit);
    }

    private static ModeResult Result(string function, string mode, double coldInit, double coldDuration) =>
        new(function, mode, 0, 0, null, [new ColdSample(coldInit, coldDuration, 10)], [], null);
}
