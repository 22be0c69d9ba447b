using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Scheduling;

/// <summary>
/// The execution environments of one function, the way Lambda keeps them: one invocation at a time per instance;
/// an idle instance is reused (warm, most recently used first); when all are busy a new one starts (cold), up to the
/// concurrency limit, after which invocations queue in arrival order; an instance idle for too long is retired, and
/// one that crashed, timed out or failed its init is never reused.
/// </summary>
public sealed class FunctionPool : IAsyncDisposable
{
    private readonly RuntimeApiServer _server;
    private readonly PoolSettings _settings;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly Stack<IdleInstance> _idle = new();
    private readonly HashSet<FunctionInstance> _all = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _reaper;
    private FunctionSpec _spec;
    private int _generation;
    private long _invocations;
    private long _coldStarts;
    private int _peakMemoryMb;
    private int _spawning;

    public FunctionPool(FunctionSpec spec, RuntimeApiServer server, PoolSettings settings, Action<string> log)
    {
        _spec = spec;
        _server = server;
        _settings = settings;
        _log = log;
        _slots = new SemaphoreSlim(settings.MaxConcurrency, settings.MaxConcurrency);
        _reaper = RetireIdleAsync(_stopping.Token);
    }

    public string Name => _spec.Name;

    /// <summary>Live instances, busy or idle.</summary>
    public int InstanceCount
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>What the pool is doing and has done, for the console: its instances, invocations, cold starts and peak memory.</summary>
    public PoolActivity Activity
    {
        get
        {
            lock (_gate)
            {
                var idleSince = _idle.ToDictionary(i => i.Instance, i => i.Since);
                var each = _all.OrderBy(i => i.ProcessId).Select(i => Describe(i, idleSince.TryGetValue(i, out var since) ? since : null));
                var spawning = Enumerable.Repeat(new InstanceActivity(null, InstanceState.Starting, null, 0, null, null), _spawning);
                return new PoolActivity([.. spawning, .. each], _invocations, _coldStarts, _peakMemoryMb);
            }
        }
    }

    private static InstanceActivity Describe(FunctionInstance instance, DateTimeOffset? idleSince) => new(
        instance.ProcessId,
        idleSince is not null ? InstanceState.Idle : instance.InitDuration is null ? InstanceState.Starting : InstanceState.Busy,
        idleSince,
        instance.Invocations,
        instance.InitDuration?.TotalMilliseconds,
        instance.PeakMemoryMb);

    private void Count(InvocationReport report)
    {
        lock (_gate)
        {
            _invocations++;
            _coldStarts += report.Cold ? 1 : 0;
            _peakMemoryMb = Math.Max(_peakMemoryMb, report.MaxMemoryUsedMb ?? 0);
        }
    }

    /// <summary>The processes of the live instances: what a test kills to play a crash.</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_gate)
            {
                return _all.Where(i => !i.HasExited).Select(i => i.ProcessId).ToList();
            }
        }
    }

    /// <summary>
    /// Runs one event on a warm instance, or a new one. <paramref name="queueCancellation"/> only bounds the wait for a
    /// free slot: once an instance has the event it runs to its end, as on Lambda, whoever stops waiting for it.
    /// </summary>
    public async Task<InvocationReport> InvokeAsync(ReadOnlyMemory<byte> payload, CancellationToken queueCancellation, CallerContext? caller = null)
    {
        await _slots.WaitAsync(queueCancellation).ConfigureAwait(false);
        FunctionInstance? instance = null;
        var generation = 0;
        try
        {
            (instance, generation) = TakeIdle() ?? await StartNewAsync().ConfigureAwait(false);
            var report = await instance.InvokeAsync(payload, cancellationToken: _stopping.Token, caller: caller).ConfigureAwait(false);
            Count(report);
            Return(instance, generation, Reusable(report, instance));
            instance = null;
            return report;
        }
        finally
        {
            if (instance is not null)
            {
                Return(instance, generation, reusable: false);
            }
            _slots.Release();
        }
    }

    /// <summary>What new instances start from now.</summary>
    public FunctionSpec Spec
    {
        get
        {
            lock (_gate)
            {
                return _spec;
            }
        }
    }

    /// <summary>Lambda's RevisionId of the configuration: a new one with every <see cref="Replace"/>.</summary>
    public string RevisionId { get; private set; } = Guid.NewGuid().ToString();

    /// <summary>When the configuration last changed (the pool's start, a rebuild, an update through the API).</summary>
    public DateTimeOffset LastModified { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>New instances start from <paramref name="spec"/> (a rebuilt binary, new settings); the old ones retire.</summary>
    public void Replace(FunctionSpec spec) => TryChange(_ => spec, ifRevisionId: null);

    /// <summary>
    /// As <see cref="Replace"/>, with the spec made from the current one, and only if the configuration is still at
    /// <paramref name="ifRevisionId"/> (when given): Lambda's optimistic lock. The new spec, or null when it moved on.
    /// </summary>
    public FunctionSpec? TryChange(Func<FunctionSpec, FunctionSpec> change, string? ifRevisionId)
    {
        ArgumentNullException.ThrowIfNull(change);
        List<FunctionInstance> retired;
        FunctionSpec spec;
        lock (_gate)
        {
            if (ifRevisionId is not null && ifRevisionId != RevisionId)
            {
                return null;
            }
            spec = change(_spec);
            _spec = spec;
            _generation++;
            RevisionId = Guid.NewGuid().ToString();
            LastModified = DateTimeOffset.UtcNow;
            retired = _idle.Select(i => i.Instance).ToList();
            _idle.Clear();
            _all.ExceptWith(retired);
        }
        Retire(retired);
        return spec;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _reaper.ConfigureAwait(false);
        List<FunctionInstance> all;
        lock (_gate)
        {
            all = [.. _all];
            _all.Clear();
            _idle.Clear();
        }
        // _stopping is not disposed: a late caller still reads its token and must see "stopped", not a disposed object.
        await Task.WhenAll(all.Select(i => i.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private (FunctionInstance, int)? TakeIdle()
    {
        lock (_gate)
        {
            while (_idle.TryPop(out var idle))
            {
                if (!idle.Instance.HasExited)
                {
                    return (idle.Instance, _generation);
                }
                _all.Remove(idle.Instance);
                Retire([idle.Instance]);
            }
            return null;
        }
    }

    private async Task<(FunctionInstance, int)> StartNewAsync()
    {
        FunctionSpec spec;
        int generation;
        lock (_gate)
        {
            // A request that picked this pool just before a refresh retired it: the gateway answers 500 for it.
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            (spec, generation) = (_spec, _generation);
            _spawning++;
        }
        FunctionInstance instance;
        try
        {
            instance = await FunctionInstance.StartAsync(spec, _server, _log).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _spawning--;
            }
        }
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _all.Add(instance);
                return (instance, generation);
            }
        }
        await instance.DisposeAsync().ConfigureAwait(false);
        throw new ObjectDisposedException(nameof(FunctionPool));
    }

    private void Return(FunctionInstance instance, int generation, bool reusable)
    {
        lock (_gate)
        {
            if (reusable && generation == _generation && !_stopping.IsCancellationRequested && !instance.HasExited)
            {
                _idle.Push(new IdleInstance(instance, DateTimeOffset.UtcNow));
                return;
            }
            _all.Remove(instance);
        }
        Retire([instance]);
    }

    /// <summary>A function error leaves the environment intact; a crash, a timeout (the process was killed) or an init failure does not.</summary>
    private static bool Reusable(InvocationReport report, FunctionInstance instance) =>
        !instance.HasExited && instance.InitDuration is not null && !report.Outcome.IsPlatformFailure;

    private async Task RetireIdleAsync(CancellationToken stopping)
    {
        // A quarter of the idle timeout, within sane bounds: Task.Delay(0) would spin, a huge one would throw.
        var interval = TimeSpan.FromTicks(Math.Clamp((_settings.IdleTimeout / 4).Ticks, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMinutes(1).Ticks));
        try
        {
            while (true)
            {
                await Task.Delay(interval, stopping).ConfigureAwait(false);
                var limit = DateTimeOffset.UtcNow - _settings.IdleTimeout;
                List<FunctionInstance> expired;
                lock (_gate)
                {
                    var keep = _idle.Where(i => i.Since > limit).Reverse().ToList();
                    expired = _idle.Where(i => i.Since <= limit).Select(i => i.Instance).ToList();
                    _idle.Clear();
                    foreach (var idle in keep)
                    {
                        _idle.Push(idle);
                    }
                    _all.ExceptWith(expired);
                }
                Retire(expired);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Kills in the background: a retiring instance must not hold up the request that retired it.</summary>
    private static void Retire(IReadOnlyCollection<FunctionInstance> instances)
    {
        foreach (var instance in instances)
        {
            _ = instance.DisposeAsync().AsTask();
        }
    }

    private sealed record IdleInstance(FunctionInstance Instance, DateTimeOffset Since);
}
