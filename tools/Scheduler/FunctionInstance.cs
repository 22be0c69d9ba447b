using System.Diagnostics;
using System.Globalization;
using Functions.Runtime;
using Functions.Tools.Limits;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Scheduler;

/// <summary>
/// One execution environment: a real bootstrap process talking to the Runtime API emulator on its own prefix.
/// It handles one invocation at a time, as Lambda's environments do.
/// </summary>
public sealed class FunctionInstance : IAsyncDisposable
{
    private static int _sequence;

    private readonly FunctionSpec _spec;
    private readonly RuntimeApiServer _server;
    private readonly Process _process;
    private readonly RuntimeChannel _channel;
    private readonly RuntimeApiEndpoint _endpoint;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _watching = new();
    private readonly InstanceGroup? _group;
    private long _peakKib;
    private volatile bool _outOfMemory;
    private bool _initReported;
    private Lazy<Task>? _disposal;
    private volatile LogTail? _tail;

    /// <summary>
    /// How often the memory watch reads the process's high-water mark. VmHWM is the kernel's own peak, so a spike
    /// between two reads is still seen; only the kill can come up to this late.
    /// </summary>
    private static readonly TimeSpan MemoryWatchInterval = TimeSpan.FromMilliseconds(20);

    private FunctionInstance(FunctionSpec spec, RuntimeApiServer server, Process process, RuntimeChannel channel, RuntimeApiEndpoint endpoint, Action<string> log, InstanceGroup? group)
    {
        _group = group;
        _endpoint = endpoint;
        _spec = spec;
        _server = server;
        _process = process;
        _channel = channel;
        _log = log;
    }

    public string Name => _channel.Name;
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>The instance's cgroup when the run is Lambda-shaped; null when unshaped.</summary>
    public InstanceGroup? Group => _group;

    /// <summary>Spawn to first /next, once known.</summary>
    public TimeSpan? InitDuration { get; private set; }

    /// <summary>
    /// Starts the process; its log lines (stdout and stderr) go to <paramref name="log"/> as they come, with Lambda's
    /// START (when an instance takes the event), END and REPORT lines around each invocation's.
    /// </summary>
    public static async Task<FunctionInstance> StartAsync(FunctionSpec spec, RuntimeApiServer server, Action<string> log, CancellationToken cancellationToken = default)
    {
        var channelName = $"{spec.Name}-{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}";
        var channel = server.Channel(channelName);
        var endpoint = await server.OpenEndpointAsync(channelName, cancellationToken).ConfigureAwait(false);
        // No -L sysroot under an emulator: the target's glibc is installed as a foreign architecture (build/Toolchain.cs says why).
        var (program, arguments) = spec.Emulator is null ? (spec.Bootstrap, Array.Empty<string>()) : (spec.Emulator, [spec.Bootstrap]);
        // Under an emulator the memory and CPU are mostly the emulator's: shaping them would shape the wrong thing.
        var group = spec.Emulator is null ? spec.Limits?.CreateGroup(channelName, spec.MemoryMb) : null;
        var (fileName, argumentList) = group?.Wrap(program, arguments) ?? (program, arguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Path.GetDirectoryName(spec.Bootstrap)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in argumentList)
        {
            startInfo.ArgumentList.Add(argument);
        }
        // Lambda's environment is the function's whole world: start from an empty one, not the caller's.
        startInfo.Environment.Clear();
        foreach (var (key, value) in LambdaVariables(spec, endpoint.HostAndPort))
        {
            startInfo.Environment[key] = value;
        }
        foreach (var (key, value) in spec.Environment)
        {
            startInfo.Environment[key] = value;
        }
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var instance = new FunctionInstance(spec, server, process, channel, endpoint, log, group);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { instance.Log(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { instance.Log(e.Data); } };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            group?.Dispose();
            server.Forget(channelName);
            await endpoint.DisposeAsync().ConfigureAwait(false);
            throw new UserError(spec.Emulator is null
                ? $"Cannot start {spec.Bootstrap}: {e.Message}. Build it with ./fn build {spec.Name}."
                : $"Cannot start {spec.Emulator} {spec.Bootstrap}: {e.Message}. Install qemu-user (./fn setup).", inner: e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (group is null)
        {
            _ = instance.WatchMemoryAsync();
        }
        return instance;
    }

    /// <summary>Waits until the instance asks for its first event (or fails to): the end of a cold start.</summary>
    public async Task<InvocationOutcome?> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        if (InitDuration is not null)
        {
            return null; // Warm: no timer, no waits on the hot path.
        }
        // Not cancellable itself: a cancelled wait must not look like an exit.
        var exited = _process.WaitForExitAsync(CancellationToken.None);
        var first = await Task.WhenAny(_channel.FirstNext, _channel.InitError, exited, Task.Delay(FunctionSpec.InitTimeout, cancellationToken)).ConfigureAwait(false);
        if (first == _channel.FirstNext)
        {
            // Before the event is queued: the invocation runs under the quota, the init did not.
            _group?.EndInitBurst();
            InitDuration ??= _channel.FirstNext.Result - _startedAt;
            return null;
        }
        if (first == _channel.InitError)
        {
            InitDuration ??= _channel.InitError.Result.At - _startedAt;
            return _channel.InitError.Result;
        }
        if (first == exited)
        {
            var outcome = ExitedOutcome("init");
            InitDuration ??= outcome.At - _startedAt;
            return outcome;
        }
        cancellationToken.ThrowIfCancellationRequested();
        return InvocationOutcome.Error("Runtime.InitTimeout", RuntimeApiServer.ErrorBody("Runtime.InitTimeout",
            $"Init did not reach /runtime/invocation/next within {FunctionSpec.InitTimeout.TotalSeconds:0} seconds."), DateTimeOffset.UtcNow);
    }

    /// <summary>Runs one event to its end: the function's answer, its error, its crash, or the timeout.</summary>
    public async Task<InvocationReport> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default, CallerContext? caller = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var limit = timeout ?? _spec.Timeout;
        var invocation = new PendingInvocation(requestId, payload, limit, _spec.FunctionArn, TraceHeader.ForFunction(caller?.TraceRoot))
        {
            ClientContext = caller?.ClientContext,
        };
        var cold = !_initReported;
        // One event at a time per instance: until the REPORT line, what it prints belongs to this invocation.
        _tail = caller?.Tail;
        try
        {
            return await RunAsync(invocation, requestId, limit, cold, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _tail = null;
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
        var exited = _process.WaitForExitAsync(CancellationToken.None);
        var dispatchedAt = await WhenDispatchedAsync(invocation, exited, cancellationToken).ConfigureAwait(false);
        InvocationOutcome outcome;
        if (dispatchedAt is null)
        {
            FailExited(invocation);
            outcome = await invocation.Outcome.ConfigureAwait(false);
        }
        else
        {
            Log(InvocationReport.StartLineFor(requestId));
            var left = dispatchedAt.Value + limit - DateTimeOffset.UtcNow;
            var timedOut = Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
            var first = await Task.WhenAny(invocation.Outcome, exited, timedOut).ConfigureAwait(false);
            if (first == timedOut && !invocation.IsCompleted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Kill();
                _server.Fail(invocation, InvocationOutcome.TimedOut, $"RequestId: {requestId} Error: Task timed out after {limit.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} seconds");
            }
            else if (first == exited && !invocation.IsCompleted)
            {
                FailExited(invocation);
            }
            outcome = await invocation.Outcome.ConfigureAwait(false);
        }
        _initReported = true;
        var duration = (outcome.At - (dispatchedAt ?? outcome.At)).TotalMilliseconds;
        return Logged(Report(requestId, outcome, duration, cold), started: dispatchedAt is not null);
    }

    /// <summary>Lambda's lines for the invocation, after the function's own: the platform's error, END, REPORT.</summary>
    private InvocationReport Logged(InvocationReport report, bool started)
    {
        if (!started)
        {
            Log(report.StartLine);
        }
        if (report.PlatformErrorLine is { } platform)
        {
            Log(platform);
        }
        Log(report.EndLine);
        Log(report.ReportLine);
        return report;
    }

    /// <summary>The process ended while it had the event: stopped by the memory watch, or it exited or crashed.</summary>
    private void FailExited(PendingInvocation invocation)
    {
        _process.WaitForExit(TimeSpan.FromSeconds(1));
        var (type, message) = OutOfMemory
            ? (InvocationOutcome.OutOfMemory, $"RequestId: {invocation.RequestId} Error: Runtime exited with error: signal: killed")
            : (InvocationOutcome.ExitError, ExitMessage(invocation.RequestId));
        _server.Fail(invocation, type, message);
    }

    /// <summary>Stopped for its memory: by the kernel at the group's limit, or by the memory watch.</summary>
    private bool OutOfMemory => _outOfMemory || _group?.OutOfMemoryKilled() == true;

    /// <summary>
    /// The fallback where the run is not shaped (no cgroups can be written): Lambda stops an environment that uses more
    /// than its memory size, and Linux gives no per-process limit without cgroups, and an address-space limit would break the GC's reservations: so the high-water mark is read
    /// every <see cref="MemoryWatchInterval"/> for the process's whole life, and the process is killed past its size.
    /// The last reading also gives a crashed process's Max Memory Used, which /proc no longer has after the exit.
    /// </summary>
    private async Task WatchMemoryAsync()
    {
        var limitKib = _spec.MemoryMb * 1024L;
        using var timer = new PeriodicTimer(MemoryWatchInterval);
        try
        {
            do
            {
                if (!SamplePeak())
                {
                    return;
                }
                // Under an emulator (qemu for arm64) the figure is mostly the emulator's own: measured, never enforced.
                if (_spec.Emulator is null && Interlocked.Read(ref _peakKib) > limitKib && !_outOfMemory)
                {
                    _outOfMemory = true;
                    Kill();
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(_watching.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A line of the instance's log: to serve's log, and to the tail of the invocation running, if one asked.</summary>
    private void Log(string line)
    {
        _log(line);
        _tail?.Add(line);
    }

    public void Kill()
    {
        try
        {
            SamplePeak();
            _watching.Cancel();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
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
        _group?.Dispose();
        _server.Forget(Name);
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        _process.Dispose();
        _watching.Dispose();
    }

    private static async Task<DateTimeOffset?> WhenDispatchedAsync(PendingInvocation invocation, Task exited, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(invocation.Dispatched, exited, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == invocation.Dispatched ? invocation.Dispatched.Result : invocation.DispatchedAt;
    }

    private InvocationReport Report(string requestId, InvocationOutcome outcome, double durationMs, bool cold)
    {
        SamplePeak();
        var init = cold && InitDuration is { } d ? d.TotalMilliseconds : (double?)null;
        // The larger of the group's peak (all the environment charged: anonymous memory, page cache, children, even
        // after a crash) and VmHWM (the process's resident pages): a group is not charged for pages of files another
        // group read first, such as the .NET runtime's libraries cached by an earlier run (a JIT Hello: 11 MB against
        // 44 MB resident), where Lambda's fresh environment loads every page itself.
        var kib = Math.Max(_group?.PeakBytes() is { } bytes ? bytes / 1024 : 0, Interlocked.Read(ref _peakKib));
        // Lambda reports an environment stopped for its memory as having used exactly its size, and never more: resident
        // pages the group is not charged for can take VmHWM past the size of an instance the kernel lets live.
        var peak = outcome.ErrorType == InvocationOutcome.OutOfMemory ? _spec.MemoryMb
            : kib > 0 ? Math.Min(ProcessMemory.ToMegabytes(kib), _group is null ? int.MaxValue : _spec.MemoryMb) : (int?)null;
        return new InvocationReport(requestId, outcome, durationMs, _spec.MemoryMb, peak, init) { Cold = cold };
    }

    /// <summary>Reads the high-water mark into the peak; false once the process is gone.</summary>
    private bool SamplePeak()
    {
        try
        {
            if (!_process.HasExited && ProcessMemory.PeakResidentKib(_process.Id) is { } kib)
            {
                long seen;
                while ((seen = Interlocked.Read(ref _peakKib)) < kib && Interlocked.CompareExchange(ref _peakKib, kib, seen) != seen)
                {
                }
                return true;
            }
        }
        catch (InvalidOperationException)
        {
        }
        return false;
    }

    private InvocationOutcome ExitedOutcome(string phase)
    {
        var type = OutOfMemory ? InvocationOutcome.OutOfMemory : InvocationOutcome.ExitError;
        return InvocationOutcome.Error(type, RuntimeApiServer.ErrorBody(type, $"Runtime exited during {phase} with error: {ExitCode()}"), DateTimeOffset.UtcNow);
    }

    private string ExitMessage(string requestId) => $"RequestId: {requestId} Error: Runtime exited with error: {ExitCode()}";

    /// <summary>As Lambda words it: "exit status 3", or "signal: killed" for a process a signal ended (.NET reports 128 + N).</summary>
    private string ExitCode() => !_process.HasExited ? "exit status unknown" : _process.ExitCode switch
    {
        137 => "signal: killed",
        139 => "signal: segmentation fault",
        134 => "signal: aborted",
        143 => "signal: terminated",
        var code => $"exit status {code.ToString(CultureInfo.InvariantCulture)}",
    };

    private static IEnumerable<KeyValuePair<string, string>> LambdaVariables(FunctionSpec spec, string runtimeApi)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return new Dictionary<string, string>
        {
            [LambdaEnvironment.RuntimeApi] = runtimeApi,
            [LambdaEnvironment.FunctionName] = spec.Name,
            [LambdaEnvironment.FunctionVersion] = "$LATEST",
            [LambdaEnvironment.FunctionMemorySize] = spec.MemoryMb.ToString(CultureInfo.InvariantCulture),
            [LambdaEnvironment.LogGroupName] = $"/aws/lambda/{spec.Name}",
            [LambdaEnvironment.LogStreamName] = $"{DateTime.UtcNow:yyyy/MM/dd}/[$LATEST]{Guid.NewGuid():N}",
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            [LambdaEnvironment.Region] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023",
            ["_HANDLER"] = "bootstrap",
            ["LAMBDA_TASK_ROOT"] = Path.GetDirectoryName(spec.Bootstrap)!,
            ["LAMBDA_RUNTIME_DIR"] = Path.GetDirectoryName(spec.Bootstrap)!,
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = path,
            // Locally there is no role: dummy credentials satisfy the SDK; the local DynamoDB ignores them.
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["AWS_SESSION_TOKEN"] = "local",
        };
    }
}
