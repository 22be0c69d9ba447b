using Functions.Tools.RuntimeApi;

namespace Functions.Tests.RuntimeApi;

public sealed class StreamBandwidthTests
{
    [Fact]
    public void Lambda_s_bandwidth_holds_nothing_back_within_the_first_6_MB()
    {
        var pace = StreamBandwidth.Lambda.Start();

        Assert.Equal(TimeSpan.Zero, pace.Before(4 * 1024 * 1024));
        Assert.Equal(TimeSpan.Zero, pace.Before(2 * 1024 * 1024));
    }

    [Fact]
    public void Past_the_burst_each_write_waits_until_the_rate_allows_its_bytes()
    {
        var pace = new StreamBandwidth(BurstBytes: 100, BytesPerSecond: 1000).Start();

        Assert.Equal(TimeSpan.Zero, pace.Before(100));
        var wait = pace.Before(500);

        // 500 bytes at 1,000 a second, counted from this very write: half a second, less the moment it took to ask.
        Assert.InRange(wait, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void Lambda_s_rate_past_the_burst_is_2_MB_a_second()
    {
        var pace = StreamBandwidth.Lambda.Start();
        pace.Before(6 * 1024 * 1024);

        Assert.InRange(pace.Before(2 * 1024 * 1024), TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Unlimited_bandwidth_never_holds_a_write_back()
    {
        var pace = StreamBandwidth.Unlimited.Start();

        Assert.Equal(TimeSpan.Zero, pace.Before(1L << 40));
    }
}
