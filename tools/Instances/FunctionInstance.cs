using System.Diagnostics;
using System.Globalization;
using Functions.Tools.Hosting;
using Functions.Tools.Limits;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Instances;

/// <summary>
/// One execution environment: a real bootstrap process talking to the Runtime API emulator on its own prefix.
/// It handles one invocation at a time, as Lambda's environments do: ready (its first /next ends the cold start),
/// the event dispatched, then its outcome, or the timeout.
/// </summary>
public sealed class FunctionInstance : IAsyncDisposable
{
    private static int _sequence;

    private readonly FunctionSpec _spec;
    private readonly RuntimeApiServer _server;
    private readonly ChildProcess _process;
    private readonly RuntimeChannel _channel;
    private readonly RuntimeApiEndpoint _endpoint;
    /// <summary>
    /// When the init began: once the process exists (the instance is made right after the spawn). Counting the spawn
    /// itself would add the tool's own first-use cost of starting a process (about 15 ms in a fresh ./fn invoke), which
    /// is not the function's; a shaped instance's count does include its /bin/sh entering the group (a few ms).
    /// </summary>
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly long _startedTimestamp = Stopwatch.GetTimestamp();
    private readonly InstanceLog _log;
    private readonly InstanceLimits _limits;
    private bool _initReported;
    private Lazy<Task>? _disposal;

    private FunctionInstance(FunctionSpec spec, RuntimeApiServer server, ChildProcess process, RuntimeChannel channel, RuntimeApiEndpoint endpoint, InstanceLog log, InstanceLimits limits)
    {
        _spec = spec;
        _server = server;
        _process = process;
        _channel = channel;
        _endpoint = endpoint;
        _log = log;
        _limits = limits;
    }

    public string Name => _channel.Name;
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>The instance's cgroup when the run is Lambda-shaped; null when unshaped.</summary>
    public InstanceGroup? Group => _limits.Group;

    /// <summary>Spawn to first /next, once known.</summary>
    public TimeSpan? InitDuration { get; private set; }

    /// <summary>The invocations it has run (its init error and crashes included).</summary>
    public int Invocations { get; private set; }

    /// <summary>Its Max Memory Used so far; null before its first invocation's report.</summary>
    public int? PeakMemoryMb { get; private set; }

    /// <summary>Where the init went, once known, when the function's runtime said (see <see cref="InitPhases"/>).</summary>
    public InitPhases? InitPhases { get; private set; }

    /// <summary>
    /// Starts the process; its log lines (stdout and stderr) go to <paramref name="log"/> as they come, with Lambda's
    /// START (when an instance takes the event), END and REPORT lines around each invocation's.
    /// </summary>
    public static async Task<FunctionInstance> StartAsync(FunctionSpec spec, RuntimeApiServer server, Action<string> log, CancellationToken cancellationToken = default)
    {
        var channelName = $"{spec.Name}-{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}";
        var channel = server.Channel(channelName);
        var endpoint = await server.OpenEndpointAsync(channelName, cancellationToken).ConfigureAwait(false);
        var instanceLog = new InstanceLog(log);
        InstanceLimits? limits = null;
        ChildProcess process;
        try
        {
            limits = InstanceLimits.For(spec.Limits, channelName, spec.MemoryMb, underEmulator: spec.Emulator is not null);
            process = FunctionProcess.Start(spec, endpoint.HostAndPort, limits, instanceLog.Write);
        }
        catch (InstanceStartException)
        {
            limits?.Dispose();
            server.Forget(channelName);
            await endpoint.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        limits.Hold(process);
        return new FunctionInstance(spec, server, process, channel, endpoint, instanceLog, limits);
    }

    /// <summary>Waits until the instance asks for its first event (or fails to): the end of a cold start.</summary>
    public async Task<InvocationOutcome?> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        if (InitDuration is not null)
        {
            return null; // Warm: no timer, no waits on the hot path.
        }
        var first = await FirstOfAsync([_channel.FirstNext, _channel.InitError, _process.Exited], FunctionSpec.InitTimeout, cancellationToken).ConfigureAwait(false);
        if (first == _channel.FirstNext)
        {
            // Before the event is queued: the invocation runs under the quota, the init did not.
            _limits.InitOver();
            InitDuration ??= _channel.FirstNext.Result - _startedAt;
            InitPhases ??= InitPhases.From(_startedTimestamp, _channel.Startup, _channel.FirstNextTimestamp);
            return null;
        }
        if (first == _channel.InitError)
        {
            InitDuration ??= _channel.InitError.Result.At - _startedAt;
            return _channel.InitError.Result;
        }
        if (first == _process.Exited)
        {
            await DrainAsync().ConfigureAwait(false);
            var outcome = RuntimeExit.DuringInit(_process.Exit, _limits.StoppedForMemory);
            InitDuration ??= outcome.At - _startedAt;
            return outcome;
        }
        return InvocationOutcome.Error("Runtime.InitTimeout", RuntimeApiServer.ErrorBody("Runtime.InitTimeout",
            $"Init did not reach /runtime/invocation/next within {FunctionSpec.InitTimeout.TotalSeconds:0} seconds."), DateTimeOffset.UtcNow);
    }

    /// <summary>Runs one event to its end: the function's answer, its error, its crash, or the timeout.</summary>
    public async Task<InvocationReport> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default, CallerContext? caller = null)
    {
        var requestId = UniqueIds.NewGuid().ToString();
        var limit = timeout ?? _spec.Timeout;
        var invocation = new PendingInvocation(requestId, payload, limit, _spec.FunctionArn, TraceHeader.ForFunction(caller?.TraceRoot))
        {
            ClientContext = caller?.ClientContext,
            Sink = caller?.Sink,
        };
        var cold = !_initReported;
        _log.TailTo(caller?.Tail);
        try
        {
            return await RunAsync(invocation, requestId, limit, cold, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _log.TailTo(null);
        }
    }

    private async Task<InvocationReport> RunAsync(PendingInvocation invocation, string requestId, TimeSpan limit, bool cold, CancellationToken cancellationToken)
    {
        var notReady = await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        if (notReady is not null)
        {
            _initReported = true;
            return Logged(Report(requestId, notReady, 0, cold) with { InitFailed = true }, started: false);
        }
        _channel.Enqueue(invocation);
        var dispatchedAt = await WhenDispatchedAsync(invocation, cancellationToken).ConfigureAwait(false);
        InvocationOutcome outcome;
        if (dispatchedAt is null)
        {
            await FailExitedAsync(invocation).ConfigureAwait(false);
            outcome = await invocation.Outcome.ConfigureAwait(false);
        }
        else
        {
            _log.Started(requestId);
            var left = dispatchedAt.Value + limit - DateTimeOffset.UtcNow;
            var first = await FirstOfAsync([invocation.Outcome, _process.Exited], left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (first is null && !invocation.IsCompleted)
            {
                Kill();
                _server.Fail(invocation, InvocationOutcome.TimedOut, $"RequestId: {requestId} Error: Task timed out after {limit.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} seconds");
            }
            else if (first == _process.Exited && !invocation.IsCompleted)
            {
                await FailExitedAsync(invocation).ConfigureAwait(false);
            }
            outcome = await invocation.Outcome.ConfigureAwait(false);
        }
        _initReported = true;
        var duration = (outcome.At - (dispatchedAt ?? outcome.At)).TotalMilliseconds;
        var firstByte = outcome.StreamStartedAt - dispatchedAt;
        return Logged(Report(requestId, outcome, duration, cold) with { FirstByteMs = firstByte?.TotalMilliseconds }, started: dispatchedAt is not null);
    }

    private InvocationReport Logged(InvocationReport report, bool started)
    {
        _log.Ended(report, started);
        return report;
    }

    /// <summary>The process ended while it had the event: stopped for its memory, or it exited or crashed.</summary>
    private async Task FailExitedAsync(PendingInvocation invocation)
    {
        await DrainAsync().ConfigureAwait(false);
        var (type, message) = _limits.StoppedForMemory
            ? (InvocationOutcome.OutOfMemory, RuntimeExit.OutOfMemory(invocation.RequestId))
            : (InvocationOutcome.ExitError, RuntimeExit.DuringInvocation(invocation.RequestId, _process.Exit));
        _server.Fail(invocation, type, message);
    }

    /// <summary>After the exit, the last lines it wrote (a crash's message) before the report that follows them.</summary>
    private async Task DrainAsync() =>
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    public void Kill()
    {
        _limits.BeforeKill();
        _process.Kill();
    }

    /// <summary>
    /// Once, however many ask: the pool retires an instance whose invocation ended while the pool itself is
    /// stopping and disposing every instance, and a second disposal would wait on a process object already disposed.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        var disposal = new Lazy<Task>(DisposeOnceAsync);
        return new ValueTask((Interlocked.CompareExchange(ref _disposal, disposal, null) ?? disposal).Value);
    }

    private async Task DisposeOnceAsync()
    {
        Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _limits.Dispose();
        _server.Forget(Name);
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task<DateTimeOffset?> WhenDispatchedAsync(PendingInvocation invocation, CancellationToken cancellationToken)
    {
        var first = await FirstOfAsync([invocation.Dispatched, _process.Exited], Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return first == invocation.Dispatched ? invocation.Dispatched.Result : invocation.DispatchedAt;
    }

    /// <summary>
    /// The first of <paramref name="tasks"/> to complete, or null after <paramref name="limit"/>; throws when
    /// <paramref name="cancellationToken"/> is cancelled. This runs for every invocation: its timer and its registration
    /// on the pool's long-lived token go with it, where a Task.Delay would live on for the function's whole timeout
    /// (tens of thousands of timers under load) and a per-call wait on the process's exit would stay attached to it.
    /// </summary>
    private static async Task<Task?> FirstOfAsync(Task[] tasks, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAny(tasks).WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private InvocationReport Report(string requestId, InvocationOutcome outcome, double durationMs, bool cold)
    {
        var init = cold && InitDuration is { } d ? d.TotalMilliseconds : (double?)null;
        // Lambda reports an environment stopped for its memory as having used exactly its size, and never more.
        var peak = outcome.ErrorType == InvocationOutcome.OutOfMemory ? _spec.MemoryMb : _limits.PeakMb();
        Invocations++;
        PeakMemoryMb = peak is { } mb ? Math.Max(PeakMemoryMb ?? 0, mb) : PeakMemoryMb;
        return new InvocationReport(requestId, outcome, durationMs, _spec.MemoryMb, peak, init) { Cold = cold, Emulator = _spec.Emulator, InitPhases = cold ? InitPhases : null };
    }
}
