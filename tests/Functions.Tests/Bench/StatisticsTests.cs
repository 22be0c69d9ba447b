using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class StatisticsTests
{
    [Fact]
    public void P99_of_100_samples_is_the_99th_smallest()
    {
        // Arrange: 1..100 in a scrambled order, so the summary has to sort.
        var samples = Enumerable.Range(1, 100).Select(i => (double)(i * 37 % 101)).ToList();

        // Act
        var summary = Statistics.Summarize(samples);

        // Assert: nearest rank ceil(p/100 × 100) = p, so each percentile is the p-th smallest value.
        Assert.Equal(new Summary(100, 1, 50, 90, 99, 100, 50.5), summary);
    }

    [Fact]
    public void Percentiles_of_five_samples_take_the_nearest_rank_above()
    {
        var samples = new double[] { 9, 3, 7, 1, 5 };

        var summary = Statistics.Summarize(samples);

        // Sorted 1 3 5 7 9. p50: rank ceil(2.5) = 3 -> 5. p90: ceil(4.5) = 5 -> 9. p99: ceil(4.95) = 5 -> 9.
        Assert.Equal(new Summary(5, 1, 5, 9, 9, 9, 5), summary);
    }

    [Fact]
    public void A_rank_that_falls_exactly_on_a_sample_is_not_pushed_to_the_next_one()
    {
        var samples = Enumerable.Range(1, 20).Select(i => i * 10.0).ToList();

        var summary = Statistics.Summarize(samples);

        // p50: 0.5 × 20 = 10 -> 10th = 100. p90: 0.9 × 20 = 18 -> 18th = 180. p99: ceil(19.8) = 20 -> 200.
        Assert.Equal((100.0, 180.0, 200.0), (summary.P50, summary.P90, summary.P99));
    }

    [Fact]
    public void The_median_of_two_samples_is_the_lower_one_not_their_average()
    {
        var summary = Statistics.Summarize([20.0, 10.0]);

        Assert.Equal(10, summary.P50);
        Assert.Equal(15, summary.Mean);
    }

    [Fact]
    public void A_single_sample_is_every_statistic()
    {
        var summary = Statistics.Summarize([42.5]);

        Assert.Equal(new Summary(1, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5), summary);
    }

    [Fact]
    public void No_samples_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => Statistics.Summarize(Array.Empty<double>()));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_sample_that_is_not_a_finite_number_is_an_error(double bad)
    {
        Assert.Throws<ArgumentException>(() => Statistics.Summarize([1.0, bad]));
    }
}
