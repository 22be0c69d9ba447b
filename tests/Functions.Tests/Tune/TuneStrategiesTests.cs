using Functions.Tools.Bench;
using Functions.Tools.Tune;

namespace Functions.Tests.Tune;

public sealed class TuneStrategiesTests
{
    /// <summary>A size whose every invocation took <paramref name="ms"/> and which costs <paramref name="perMillion"/>.</summary>
    internal static SizeResult Size(int memoryMb, double ms, decimal perMillion) => new(
        memoryMb,
        [new SweepSample(10, ms, (long)Math.Ceiling(ms + 10), 20)],
        [new SweepSample(null, ms, (long)Math.Ceiling(ms), 20)],
        new CostRow("f", "tune", "arm64", memoryMb, perMillion, []));

    private static readonly IReadOnlyList<SizeResult> Sweep =
    [
        Size(128, 800, 1.30m),
        Size(512, 150, 1.25m),
        Size(1024, 60, 1.28m),
        Size(3008, 50, 1.60m),
    ];

    [Theory]
    [InlineData(TuneStrategy.Cost, 512)]
    [InlineData(TuneStrategy.Speed, 3008)]
    [InlineData(TuneStrategy.Balanced, 1024)]
    public void Each_strategy_picks_its_size(TuneStrategy strategy, int expected)
    {
        // Act
        var pick = TuneStrategies.Pick(Sweep, strategy, coldShare: 0);

        // Assert
        Assert.Equal(expected, pick.MemoryMb);
    }

    [Fact]
    public void A_cost_that_every_size_pays_alike_does_not_hand_the_balanced_pick_to_speed()
    {
        // Arrange: the same sweep with $1,000 per million that every size pays (as the HTTP API's price is).
        var withFixedCharge = Sweep.Select(s => s with { Cost = s.Cost with { PerMillionRequests = s.Cost.PerMillionRequests + 1000m } }).ToList();

        // Act
        var pick = TuneStrategies.Pick(withFixedCharge, TuneStrategy.Balanced, coldShare: 0);

        // Assert
        Assert.Equal(1024, pick.MemoryMb);
    }

    [Fact]
    public void Equal_costs_go_to_the_faster_size_and_then_to_the_smaller()
    {
        // Arrange
        IReadOnlyList<SizeResult> sweep = [Size(256, 100, 1m), Size(512, 40, 1m), Size(1024, 40, 1m)];

        // Act
        var pick = TuneStrategies.Pick(sweep, TuneStrategy.Cost, coldShare: 0);

        // Assert
        Assert.Equal(512, pick.MemoryMb);
    }

    [Fact]
    public void The_expected_duration_weighs_cold_starts_by_their_share()
    {
        // Arrange: warm 10 ms; cold 110 ms (init 100 + 10).
        var size = new SizeResult(256, [new SweepSample(100, 10, 110, 20)], [new SweepSample(null, 10, 10, 20)], new CostRow("f", "tune", "arm64", 256, 1m, []));

        // Act
        var expected = size.ExpectedDurationMs(0.1);

        // Assert
        Assert.Equal(20, expected, precision: 9);
    }

    [Theory]
    [InlineData("cost", TuneStrategy.Cost)]
    [InlineData("speed", TuneStrategy.Speed)]
    [InlineData("balanced", TuneStrategy.Balanced)]
    public void Strategies_are_named_as_Power_Tuning_names_them(string name, TuneStrategy strategy)
    {
        Assert.Equal(strategy, TuneStrategies.Parse(name));
        Assert.Equal(name, TuneStrategies.Name(strategy));
    }
}
