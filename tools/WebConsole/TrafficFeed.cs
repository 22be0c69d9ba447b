using System.Threading.Channels;

namespace Functions.Tools.WebConsole;

/// <summary>One request serve answered, as the console lists it.</summary>
public sealed record TrafficEntry(DateTimeOffset At, string Method, string Path, int Status, double Milliseconds, string Temperature);

/// <summary>
/// The requests serve answers, passed on to each console page that listens. Each listener has a bounded queue that
/// drops its oldest entries when the page does not keep up, so a slow or stalled page costs serve at most
/// <see cref="QueuedPerListener"/> entries, never more memory as the traffic goes on.
/// </summary>
public sealed class TrafficFeed
{
    public const int QueuedPerListener = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<TrafficEntry>> _listeners = [];

    public int ListenerCount
    {
        get
        {
            lock (_gate)
            {
                return _listeners.Count;
            }
        }
    }

    public void Publish(TrafficEntry entry)
    {
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(entry);
            }
        }
    }

    /// <summary>Entries from now on, until <paramref name="cancellationToken"/> ends the listening.</summary>
    public async IAsyncEnumerable<TrafficEntry> ListenAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<TrafficEntry>(new BoundedChannelOptions(QueuedPerListener) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _listeners.Add(channel);
        }
        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            lock (_gate)
            {
                _listeners.Remove(channel);
            }
        }
    }
}
