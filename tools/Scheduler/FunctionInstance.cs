using System.Diagnostics;
using System.Globalization;
using Functions.Runtime;
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
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private long? _peakKib;
    private bool _initReported;

    private FunctionInstance(FunctionSpec spec, RuntimeApiServer server, Process process, RuntimeChannel channel)
    {
        _spec = spec;
        _server = server;
        _process = process;
        _channel = channel;
    }

    public string Name => _channel.Name;
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>Spawn to first /next, once known.</summary>
    public TimeSpan? InitDuration { get; private set; }

    /// <summary>Starts the process; log lines (stdout and stderr) go to <paramref name="log"/> as they come.</summary>
    public static FunctionInstance Start(FunctionSpec spec, RuntimeApiServer server, Action<string> log)
    {
        var channelName = $"{spec.Name}-{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}";
        var channel = server.Channel(channelName);
        var startInfo = new ProcessStartInfo(spec.Emulator ?? spec.Bootstrap)
        {
            WorkingDirectory = Path.GetDirectoryName(spec.Bootstrap)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (spec.Emulator is not null)
        {
            // No -L sysroot: the target's glibc is installed as a foreign architecture (build/Toolchain.cs says why).
            startInfo.ArgumentList.Add(spec.Bootstrap);
        }
        // Lambda's environment is the function's whole world: start from an empty one, not the caller's.
        startInfo.Environment.Clear();
        foreach (var (key, value) in LambdaVariables(spec, server.RuntimeApiFor(channelName)))
        {
            startInfo.Environment[key] = value;
        }
        foreach (var (key, value) in spec.Environment)
        {
            startInfo.Environment[key] = value;
        }
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log(e.Data); } };
        var instance = new FunctionInstance(spec, server, process, channel);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            server.Forget(channelName);
            throw new UserError(spec.Emulator is null
                ? $"Cannot start {spec.Bootstrap}: {e.Message}. Build it with ./fn build {spec.Name}."
                : $"Cannot start {spec.Emulator} {spec.Bootstrap}: {e.Message}. Install qemu-user (./fn setup).", inner: e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
            InitDuration ??= _channel.FirstNext.Result - _startedAt;
            return null;
        }
        if (first == _channel.InitError)
        {
            return _channel.InitError.Result;
        }
        if (first == exited)
        {
            return ExitedOutcome("init");
        }
        cancellationToken.ThrowIfCancellationRequested();
        return InvocationOutcome.Error("Runtime.InitTimeout", RuntimeApiServer.ErrorBody("Runtime.InitTimeout",
            $"Init did not reach /runtime/invocation/next within {FunctionSpec.InitTimeout.TotalSeconds:0} seconds."), DateTimeOffset.UtcNow);
    }

    /// <summary>Runs one event to its end: the function's answer, its error, its crash, or the timeout.</summary>
    public async Task<InvocationReport> InvokeAsync(byte[] payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default, CallerContext? caller = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var limit = timeout ?? _spec.Timeout;
        var invocation = new PendingInvocation(requestId, payload, limit, _spec.FunctionArn, TraceHeader.ForFunction(caller?.TraceRoot))
        {
            ClientContext = caller?.ClientContext,
        };
        var cold = !_initReported;
        var notReady = await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        if (notReady is not null)
        {
            _initReported = true;
            return Report(requestId, notReady, 0, cold);
        }
        _channel.Enqueue(invocation);
        var exited = _process.WaitForExitAsync(CancellationToken.None);
        var dispatchedAt = await WhenDispatchedAsync(invocation, exited, cancellationToken).ConfigureAwait(false);
        InvocationOutcome outcome;
        if (dispatchedAt is null)
        {
            _server.Fail(invocation, InvocationOutcome.ExitError, ExitMessage(requestId));
            outcome = await invocation.Outcome.ConfigureAwait(false);
        }
        else
        {
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
                _server.Fail(invocation, InvocationOutcome.ExitError, ExitMessage(requestId));
            }
            outcome = await invocation.Outcome.ConfigureAwait(false);
        }
        _initReported = true;
        var duration = (outcome.At - (dispatchedAt ?? outcome.At)).TotalMilliseconds;
        return Report(requestId, outcome, duration, cold);
    }

    public void Kill()
    {
        try
        {
            SamplePeak();
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

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _server.Forget(Name);
        _process.Dispose();
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
        var peak = _peakKib is { } kib ? ProcessMemory.ToMegabytes(kib) : (int?)null;
        return new InvocationReport(requestId, outcome, durationMs, _spec.MemoryMb, peak, init) { Cold = cold };
    }

    private void SamplePeak()
    {
        try
        {
            if (!_process.HasExited && ProcessMemory.PeakResidentKib(_process.Id) is { } kib)
            {
                _peakKib = Math.Max(_peakKib ?? 0, kib);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private InvocationOutcome ExitedOutcome(string phase) => InvocationOutcome.Error(InvocationOutcome.ExitError,
        RuntimeApiServer.ErrorBody(InvocationOutcome.ExitError, $"Runtime exited during {phase} with error: exit status {ExitCode()}"), DateTimeOffset.UtcNow);

    private string ExitMessage(string requestId) => $"RequestId: {requestId} Error: Runtime exited with error: exit status {ExitCode()}";

    private string ExitCode() => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";

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
