using System.Diagnostics;

namespace Functions.Tools.RuntimeApi;

/// <summary>
/// How fast a streamed response may reach its caller. Lambda sends the first 6 MB as fast as they come and the rest at
/// most 2 MB a second (AWS's "Bandwidth limits for response streaming"): <see cref="Lambda"/> shows locally what a
/// caller of a large stream would wait for. <see cref="Unlimited"/>, the default, passes bytes on as fast as the caller
/// reads them.
/// </summary>
/// <param name="BurstBytes">Bytes sent at full speed before the cap applies.</param>
/// <param name="BytesPerSecond">The rate past them; null: no cap.</param>
public sealed record StreamBandwidth(long BurstBytes, long? BytesPerSecond)
{
    public static StreamBandwidth Unlimited { get; } = new(0, null);

    /// <summary>Lambda's: 6 MB uncapped, then 2 MB a second (MB as Lambda counts its payload limits: MiB).</summary>
    public static StreamBandwidth Lambda { get; } = new(6 * 1024 * 1024, 2 * 1024 * 1024);

    /// <summary>A pacer for one stream, counting from its first byte.</summary>
    public StreamPace Start() => new(this);
}

/// <summary>One stream's pace under a <see cref="StreamBandwidth"/>: how long to hold each write back.</summary>
public sealed class StreamPace(StreamBandwidth bandwidth)
{
    private long _sent;
    private long _capStartedAt;

    /// <summary>
    /// How long to wait before passing on the next <paramref name="bytes"/>, so that bytes past the burst go no faster
    /// than the rate, counted from the moment the burst was used up.
    /// </summary>
    public TimeSpan Before(long bytes)
    {
        _sent += bytes;
        if (bandwidth.BytesPerSecond is not { } rate || _sent <= bandwidth.BurstBytes)
        {
            return TimeSpan.Zero;
        }
        var now = Stopwatch.GetTimestamp();
        if (_capStartedAt == 0)
        {
            _capStartedAt = now;
        }
        var due = TimeSpan.FromSeconds((double)(_sent - bandwidth.BurstBytes) / rate);
        var wait = due - Stopwatch.GetElapsedTime(_capStartedAt, now);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
