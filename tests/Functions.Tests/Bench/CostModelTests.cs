using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class CostModelTests
{
    private static readonly Prices Prices = TestPrices.UsEast1;

    [Fact]
    public void A_million_Items_Get_requests_at_128_MB_cost_what_the_hand_arithmetic_says()
    {
        // Arrange: warm 9.2 ms is billed 10 ms; cold 150.2 ms init + 19.5 ms = 169.7 ms is billed 170 ms.
        var input = new CostInput("Items.Get", "aot", "x86_64", 128, WarmDurationMs: 9.2, ColdInitMs: 150.2, ColdDurationMs: 19.5);

        // Act
        var row = CostModel.Compute(input, Prices, coldShare: 0.01, rpsLevels: [1, 100]);

        // Assert
        // mean billed = 0.99 × 10 + 0.01 × 170 = 9.9 + 1.7 = 11.6 ms
        // GB-s per million = 1,000,000 × 0.0116 s × 128/1024 GB = 1,450
        // compute = 1,450 × $0.0000166667 = $0.024166715
        // per million = $0.20 requests + $1.00 HTTP API + 1 RRU × $0.125 + $0.024166715 = $1.349166715
        Assert.Equal(1.349166715m, row.PerMillionRequests);
        // a month at 1 rps = 2,592,000 requests: 2.592 × $1.349166715 = $3.49704012528; at 100 rps, 100 times that
        Assert.Equal(new[] { (1.0, 3.49704012528m), (100.0, 349.704012528m) }, row.Monthly);
        Assert.Equal(("Items.Get", "aot", "x86_64", 128), (row.Function, row.Mode, row.Architecture, row.MemoryMb));
    }

    [Fact]
    public void Arm64_bills_the_same_GB_seconds_at_its_lower_price()
    {
        var input = new CostInput("Items.Get", "aot", "arm64", 128, 9.2, 150.2, 19.5);

        var row = CostModel.Compute(input, Prices, 0.01, []);

        // 1,450 GB-s × $0.0000133334 = $0.019333430; + $1.325 = $1.344333430
        Assert.Equal(1.344333430m, row.PerMillionRequests);
    }

    [Fact]
    public void Every_invocation_is_billed_up_to_the_next_whole_millisecond()
    {
        var exact = CostModel.Compute(new CostInput("Hello", "aot", "x86_64", 1024, 10.0, 0, 0), Prices, 0, []);
        var over = CostModel.Compute(new CostInput("Hello", "aot", "x86_64", 1024, 10.01, 0, 0), Prices, 0, []);

        // 10 ms vs 11 ms at 1 GB: 1,000,000 × 0.001 s × 1 GB = 1,000 GB-s more, × $0.0000166667 = $0.0166667
        Assert.Equal(0.0166667m, over.PerMillionRequests - exact.PerMillionRequests);
        Assert.Equal(11, CostModel.BilledMs(10.01));
    }

    [Fact]
    public void With_no_cold_starts_the_init_phase_costs_nothing()
    {
        var fast = CostModel.Compute(new CostInput("Hello", "jit", "x86_64", 128, 5, ColdInitMs: 10, ColdDurationMs: 5), Prices, 0, []);
        var slow = CostModel.Compute(new CostInput("Hello", "jit", "x86_64", 128, 5, ColdInitMs: 900, ColdDurationMs: 5), Prices, 0, []);

        Assert.Equal(fast.PerMillionRequests, slow.PerMillionRequests);
    }

    [Fact]
    public void When_every_invocation_is_cold_each_bills_init_plus_duration()
    {
        var row = CostModel.Compute(new CostInput("Hello", "jit", "x86_64", 512, 3, ColdInitMs: 299.5, ColdDurationMs: 40.2), Prices, 1, []);

        // ceil(299.5 + 40.2) = 340 ms; 1,000,000 × 0.34 s × 0.5 GB = 170,000 GB-s × $0.0000166667 = $2.833339
        // + $1.20 requests and HTTP API, Hello uses no DynamoDB
        Assert.Equal(4.033339m, row.PerMillionRequests);
    }

    [Fact]
    public void Twice_the_memory_doubles_the_compute_because_the_measured_duration_is_kept()
    {
        var small = CostModel.Compute(new CostInput("Hello", "aot", "x86_64", 128, 9.2, 150.2, 19.5), Prices, 0.01, []);
        var large = CostModel.Compute(new CostInput("Hello", "aot", "x86_64", 256, 9.2, 150.2, 19.5), Prices, 0.01, []);

        // compute at 128 MB is $0.024166715 (see the Items.Get case); fixed part $1.20
        Assert.Equal(2 * (small.PerMillionRequests - 1.20m), large.PerMillionRequests - 1.20m);
    }

    [Fact]
    public void A_write_route_pays_for_a_write_request_unit()
    {
        var create = CostModel.Compute(new CostInput("Items.Create", "aot", "x86_64", 128, 0, 0, 0), Prices, 0, []);

        // no billed milliseconds at all: $0.20 + $1.00 + 1 WRU × $0.625
        Assert.Equal(1.825m, create.PerMillionRequests);
    }

    [Fact]
    public void A_function_without_request_units_in_the_price_file_pays_no_DynamoDB()
    {
        var row = CostModel.Compute(new CostInput("deployed", "logs", "x86_64", 128, 0, 0, 0), Prices, 0, [1]);

        Assert.Equal(1.20m, row.PerMillionRequests);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_cold_share_outside_zero_to_one_is_refused(double coldShare)
    {
        var input = new CostInput("Hello", "aot", "x86_64", 128, 1, 1, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => CostModel.Compute(input, Prices, coldShare, []));
    }

    [Fact]
    public void Negative_durations_memory_and_request_rates_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CostModel.Compute(new CostInput("Hello", "aot", "x86_64", 128, -1, 0, 0), Prices, 0, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostModel.Compute(new CostInput("Hello", "aot", "x86_64", 0, 1, 0, 0), Prices, 0, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostModel.Compute(new CostInput("Hello", "aot", "x86_64", 128, 1, 0, 0), Prices, 0, [-5]));
    }

    [Fact]
    public void An_unknown_architecture_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CostModel.Compute(new CostInput("Hello", "aot", "sparc", 128, 1, 1, 1), Prices, 0, []));
    }

    [Fact]
    public void The_cost_input_of_a_result_uses_the_mean_durations()
    {
        var result = new ModeResult("Items.Get", "aot", 0, 0, null,
            [new ColdSample(100, 10, 15), new ColdSample(140, 20, 16)], [1, 2, 6], null);

        var input = CostInput.From(result, "arm64", 256);

        Assert.Equal(new CostInput("Items.Get", "aot", "arm64", 256, WarmDurationMs: 3, ColdInitMs: 120, ColdDurationMs: 15), input);
    }

    [Fact]
    public void A_result_without_samples_has_no_cost_input()
    {
        var result = new ModeResult("Hello", "aot", 1, 1, null, [], [], null);

        Assert.Null(CostInput.From(result, "x86_64", 128));
    }
}
