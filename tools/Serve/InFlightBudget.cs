using System.Runtime;

namespace Functions.Tools.Serve;

/// <summary>
/// How much the front door holds at once: requests in flight, and the bytes of their bodies and events. Lambda
/// refuses past its concurrency and the gateway past its throttle; serve refuses past this bound with 503 at once,
/// before a body is read, so a burst costs what it is allowed to and no more.
/// </summary>
/// <param name="MaxRequests">Requests being read, queued for an instance or running.</param>
/// <param name="MaxBytes">Bodies and events held for them.</param>
public sealed record InFlightLimits(int MaxRequests, long MaxBytes)
{
    /// <summary>Lambda's default account concurrency is 1,000; 256 MiB is 40 requests at the 6 MB event limit.</summary>
    public static readonly InFlightLimits Default = new(1000, 256L * 1024 * 1024);
}

/// <summary>
/// Counts what <see cref="InFlightLimits"/> bounds. When the last request of a burst that held large bodies leaves,
/// memory goes back to the system: the GC alone keeps a large-object heap it has no reason to collect while idle.
/// </summary>
public sealed class InFlightBudget : IDisposable
{
    /// <summary>Bytes, or requests, passed through since the last give-back that make one worth its pause (a few ms).</summary>
    private const long GiveBackAfterBytes = 32L * 1024 * 1024;

    private const int GiveBackAfterRequests = 200;

    /// <summary>Quiet time before memory is given back, so a burst is not interrupted by a collection after each request.</summary>
    private static readonly TimeSpan GiveBackDelay = TimeSpan.FromMilliseconds(500);

    private readonly InFlightLimits _limits;
    private readonly Lock _gate = new();
    private readonly Timer _giveBack;
    private int _requests;
    private long _bytes;
    private long _bytesSinceGiveBack;
    private int _requestsSinceGiveBack;

    public InFlightBudget(InFlightLimits limits)
    {
        _limits = limits;
        _giveBack = new Timer(_ => GiveBackIfIdle());
    }

    public InFlightLimits Limits => _limits;

    /// <summary>A place for one request holding <paramref name="bytes"/>, or null when the budget has none left.</summary>
    public Lease? TryEnter(long bytes)
    {
        lock (_gate)
        {
            _requestsSinceGiveBack++;
            if (_requests >= _limits.MaxRequests || (_requests > 0 && _bytes + bytes > _limits.MaxBytes))
            {
                return null;
            }
            _requests++;
            _bytes += bytes;
            _bytesSinceGiveBack += bytes;
            return new Lease(this, bytes);
        }
    }

    /// <summary>A request answered without a place (refused unread): it still cost buffers worth giving back.</summary>
    public void NoteAnswered()
    {
        lock (_gate)
        {
            _requestsSinceGiveBack++;
            ScheduleGiveBackIfDue();
        }
    }

    public void Dispose() => _giveBack.Dispose();

    private void Resize(long from, long to)
    {
        lock (_gate)
        {
            _bytes += to - from;
            _bytesSinceGiveBack += Math.Max(0, to - from);
        }
    }

    private void Leave(long bytes)
    {
        lock (_gate)
        {
            _requests--;
            _bytes -= bytes;
            ScheduleGiveBackIfDue();
        }
    }

    private void ScheduleGiveBackIfDue()
    {
        if (_requests == 0 && (_bytesSinceGiveBack >= GiveBackAfterBytes || _requestsSinceGiveBack >= GiveBackAfterRequests))
        {
            _giveBack.Change(GiveBackDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void GiveBackIfIdle()
    {
        lock (_gate)
        {
            if (_requests > 0)
            {
                return; // A new burst began; its last request schedules the next give-back.
            }
            _bytesSinceGiveBack = 0;
            _requestsSinceGiveBack = 0;
        }
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Hosting.NativeHeap.GiveBack();
    }

    /// <summary>One request's share; disposing it gives the share back.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly InFlightBudget _budget;
        private long _bytes;
        private bool _disposed;

        internal Lease(InFlightBudget budget, long bytes)
        {
            _budget = budget;
            _bytes = bytes;
        }

        /// <summary>The request now holds <paramref name="bytes"/> (its event, once the body is let go).</summary>
        public void Resize(long bytes)
        {
            _budget.Resize(_bytes, bytes);
            _bytes = bytes;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _budget.Leave(_bytes);
            }
        }
    }
}
