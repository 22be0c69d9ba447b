using System.Threading.Channels;

namespace Functions.Tools.WebConsole;

/// <summary>One request serve answered, as the console lists it.</summary>
/// <param name="RequestId">The gateway's request id, by which the page asks for its <see cref="RequestDetail"/>; null when none is kept.</param>
/// <param name="Function">The function the request went to; null when it reached none.</param>
public sealed record TrafficEntry(DateTimeOffset At, string Method, string Path, int Status, double Milliseconds, string Temperature, string? RequestId = null, string? Function = null);

/// <summary>
/// The requests serve answers, passed on to each console page that listens. Each listener has a bounded queue that
/// drops its oldest entries when the page does not keep up, so a slow or stalled page costs serve at most
/// <see cref="QueuedPerListener"/> entries, never more memory as the traffic goes on. Entries go out in batches
/// gathered for a moment, so a page under load gets a few writes a second rather than one a request (measured: one
/// write a request took /hello from 5,500 to 1,450-2,500 requests a second with a page open).
/// </summary>
public sealed class TrafficFeed
{
    public const int QueuedPerListener = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<TrafficEntry>> _listeners = [];

    private volatile int _listenerCount;

    public int ListenerCount => _listenerCount;

    /// <summary>Whether a page listens: read on every request serve answers, so without a page an answer costs nothing here.</summary>
    public bool IsListened => _listenerCount > 0;

    /// <summary>What each of the last requests carried, kept only while a page listens (none is kept for nobody).</summary>
    public RequestDetails Details { get; } = new();

    /// <summary>The entry to each listener, its detail (when given) kept first, so a page never lists a request it cannot open.</summary>
    public void Publish(TrafficEntry entry, RequestDetail? detail = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (detail is not null)
        {
            Details.Remember(detail);
            entry = entry with { RequestId = detail.RequestId, Function = detail.Function };
        }
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(entry);
            }
        }
    }

    /// <summary>
    /// Entries from now on, in batches: once one arrives, those that follow within <paramref name="gather"/> go with it.
    /// Until <paramref name="cancellationToken"/> ends the listening.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<TrafficEntry>> ListenAsync(TimeSpan gather, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<TrafficEntry>(new BoundedChannelOptions(QueuedPerListener) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _listeners.Add(channel);
            _listenerCount = _listeners.Count;
        }
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(gather, cancellationToken).ConfigureAwait(false);
                var batch = new List<TrafficEntry>();
                while (batch.Count < QueuedPerListener && channel.Reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }
                yield return batch;
            }
        }
        finally
        {
            lock (_gate)
            {
                _listeners.Remove(channel);
                _listenerCount = _listeners.Count;
                if (_listenerCount == 0)
                {
                    Details.Clear();
                }
            }
        }
    }
}
