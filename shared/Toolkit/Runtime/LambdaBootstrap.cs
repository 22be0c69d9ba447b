using System.Diagnostics;
using Functions.Logging;
using Functions.Runtime.Connection;

namespace Functions.Runtime;

/// <summary>
/// The runtime loop of a provided.al2023 function: initialize once, then get an event, handle it, answer it,
/// until the Runtime API says the environment is broken.
/// </summary>
public sealed class LambdaBootstrap
{
    /// <summary>Exit code when initialization failed (after /init/error was reported).</summary>
    public const int InitFailedExitCode = 1;
    /// <summary>Exit code when the Runtime API is broken or gone: Lambda will replace this environment.</summary>
    public const int RuntimeApiFailedExitCode = 2;

    private readonly IRuntimeApiClient _client;
    private readonly LambdaEnvironment _environment;
    private readonly LambdaLogger _logger;

    public LambdaBootstrap(IRuntimeApiClient client, LambdaEnvironment environment, LambdaLogger logger)
    {
        _client = client;
        _environment = environment;
        _logger = logger;
    }

    /// <summary>The whole life of a function process: what a Program.cs calls.</summary>
    public static async Task<int> RunAsync(Func<FunctionStartup, IInvocationHandler> initialize)
    {
        var main = Stopwatch.GetTimestamp();
        var environment = LambdaEnvironment.Process;
        var logger = LambdaLogger.FromEnvironment(environment);
        var runtimeApi = environment.Get(LambdaEnvironment.RuntimeApi);
        if (runtimeApi is null)
        {
            // Without the Runtime API there is nobody to report to: say so where a person will read it.
            await Console.Error.WriteLineAsync(
                $"{LambdaEnvironment.RuntimeApi} is not set: this bootstrap runs under Lambda or `fn invoke`.").ConfigureAwait(false);
            return InitFailedExitCode;
        }
        using var client = new RuntimeApiClient(runtimeApi);
        return await new LambdaBootstrap(client, environment, logger).RunAsync(initialize, CancellationToken.None, main).ConfigureAwait(false);
    }

    /// <summary>The loop; <paramref name="main"/> is when the process's Main began (now, when not given).</summary>
    public async Task<int> RunAsync(Func<FunctionStartup, IInvocationHandler> initialize, CancellationToken stop, long? main = null)
    {
        var began = main ?? Stopwatch.GetTimestamp();
        var handler = await InitializeAsync(initialize, stop).ConfigureAwait(false);
        if (handler is null)
        {
            return InitFailedExitCode;
        }
        _client.NoteStartup(new StartupTimes(began, Stopwatch.GetTimestamp()));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await InvokeOnceAsync(handler, stop).ConfigureAwait(false);
            }
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (RuntimeApiException e)
        {
            _logger.Write(LogLevel.Fatal, null, $"The Runtime API failed, exiting: {e.Message}");
            return RuntimeApiFailedExitCode;
        }
        catch (RuntimeApiConnectionException e)
        {
            // The Runtime API is unreachable: the environment is gone, nothing is left to serve.
            _logger.Write(LogLevel.Fatal, null, $"The Runtime API is unreachable, exiting: {e.Message}");
            return RuntimeApiFailedExitCode;
        }
    }

    private async Task<IInvocationHandler?> InitializeAsync(Func<FunctionStartup, IInvocationHandler> initialize, CancellationToken stop)
    {
        try
        {
            return initialize(new FunctionStartup(_environment, _logger));
        }
        // Any exception here means the function cannot serve: Lambda must hear it through /init/error.
        catch (Exception e)
        {
            _logger.Write(LogLevel.Fatal, null, $"Initialization failed: {e.GetType().Name}: {e.Message}");
            try
            {
                await _client.ReportInitializationErrorAsync(e, stop).ConfigureAwait(false);
            }
            // Reporting is best effort: the non-zero exit code tells Lambda anyway.
            catch (Exception report) when (report is RuntimeApiException or RuntimeApiConnectionException)
            {
                _logger.Write(LogLevel.Fatal, null, $"Could not report the initialization error: {report.Message}");
            }
            return null;
        }
    }

    private async Task InvokeOnceAsync(IInvocationHandler handler, CancellationToken stop)
    {
        var invocation = await _client.GetNextInvocationAsync(stop).ConfigureAwait(false);
        // The AWS SDKs read the trace header from here to join the invocation's X-Ray trace.
        Environment.SetEnvironmentVariable(LambdaEnvironment.TraceId, invocation.TraceId);
        using var context = new InvocationContext(invocation, _environment, _logger,
            responseStreams: contentType => _client.OpenResponseStream(invocation.RequestId, contentType, stop));
        byte[] response;
        try
        {
            response = await handler.HandleAsync(invocation.Payload, context).ConfigureAwait(false);
        }
        // A handler's exception (including a payload it cannot read) is the invocation's error, not the runtime's.
        catch (Exception e)
        {
            _logger.Write(LogLevel.Error, invocation.RequestId, $"{e.GetType().Name}: {e.Message}");
            if (context.Streamed is { Started: true } started)
            {
                // The caller has part of the answer already: the error goes in the stream's trailers.
                await AnswerAsync(invocation.RequestId, () => _client.CompleteResponseStreamAsync(started, e)).ConfigureAwait(false);
                return;
            }
            await AnswerAsync(invocation.RequestId, () => _client.ReportInvocationErrorAsync(invocation.RequestId, e, stop)).ConfigureAwait(false);
            return;
        }
        if (context.Streamed is { } streamed)
        {
            await AnswerAsync(invocation.RequestId, () => _client.CompleteResponseStreamAsync(streamed, null)).ConfigureAwait(false);
            return;
        }
        await AnswerAsync(invocation.RequestId, () => _client.SendResponseAsync(invocation.RequestId, response, stop)).ConfigureAwait(false);
    }

    /// <summary>Sends the invocation's answer; a 4xx concerns only this invocation and is logged.</summary>
    private async Task AnswerAsync(string requestId, Func<Task> send)
    {
        try
        {
            await send().ConfigureAwait(false);
        }
        // 413 (over the payload limit: Lambda has already failed the invocation, and an /error after it gets 403
        // InvalidStateTransition), 400 (unknown id) or 403 (already answered) concern only this invocation; a 500
        // still ends the loop.
        catch (RuntimeApiException e) when (e.StatusCode is >= 400 and < 500)
        {
            _logger.Write(LogLevel.Error, requestId, e.Message);
        }
    }
}
