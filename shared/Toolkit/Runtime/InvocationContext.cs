using Functions.Logging;

namespace Functions.Runtime;

/// <summary>What a handler knows about the invocation it runs: from the /next headers and Lambda's environment.</summary>
public sealed class InvocationContext : IDisposable
{
    /// <summary>
    /// How long before the deadline the cancellation token fires: enough to turn a cut-off call into an answer
    /// and post it before Lambda kills the invocation, never more than a fifth of the time the invocation has.
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _cancelAt;
    private CancellationTokenSource? _deadline;
    private readonly Func<string, ResponseStream>? _responseStreams;

    /// <param name="responseStreams">Opens the invocation's streamed response by content type (the runtime's client); null where nothing can stream.</param>
    public InvocationContext(Invocation invocation, LambdaEnvironment environment, LambdaLogger logger, TimeProvider? clock = null, Func<string, ResponseStream>? responseStreams = null)
    {
        _clock = clock ?? TimeProvider.System;
        _responseStreams = responseStreams;
        RequestId = invocation.RequestId;
        Deadline = invocation.Deadline;
        InvokedFunctionArn = invocation.InvokedFunctionArn;
        TraceId = invocation.TraceId;
        ClientContext = invocation.ClientContext;
        CognitoIdentity = invocation.CognitoIdentity;
        FunctionName = environment.Get(LambdaEnvironment.FunctionName);
        FunctionVersion = environment.Get(LambdaEnvironment.FunctionVersion);
        MemoryLimitInMB = environment.GetInt(LambdaEnvironment.FunctionMemorySize, 0);
        LogGroupName = environment.Get(LambdaEnvironment.LogGroupName);
        LogStreamName = environment.Get(LambdaEnvironment.LogStreamName);
        Logger = logger.For(invocation.RequestId);
        var margin = TimeSpan.FromTicks(Math.Min(DeadlineMargin.Ticks, RemainingTime.Ticks / 5));
        _cancelAt = Deadline == DateTimeOffset.MaxValue ? DateTimeOffset.MaxValue : Deadline - margin;
    }

    public string RequestId { get; }
    public DateTimeOffset Deadline { get; }
    public TimeSpan RemainingTime
    {
        get
        {
            var left = Deadline - _clock.GetUtcNow();
            return left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }
    }

    /// <summary>
    /// Fires shortly before the deadline so the function can still answer in time. Its timer is made when a handler
    /// first asks for the token: a function's first timer starts the runtime's timer thread (~1 ms of a cold start,
    /// measured), which a handler that never waits on anything need not pay.
    /// </summary>
    public CancellationToken CancellationToken
    {
        get
        {
            if (Volatile.Read(ref _deadline) is { } made)
            {
                return made.Token;
            }
            var deadline = CreateDeadline();
            var winner = Interlocked.CompareExchange(ref _deadline, deadline, null);
            if (winner is not null)
            {
                deadline.Dispose();
                return winner.Token;
            }
            return deadline.Token;
        }
    }

    public string? InvokedFunctionArn { get; }
    public string? TraceId { get; }
    /// <summary>The client context JSON, as sent by mobile SDK callers.</summary>
    public string? ClientContext { get; }
    /// <summary>The Cognito identity JSON, as sent by mobile SDK callers.</summary>
    public string? CognitoIdentity { get; }
    public string? FunctionName { get; }
    public string? FunctionVersion { get; }
    public int MemoryLimitInMB { get; }
    public string? LogGroupName { get; }
    public string? LogStreamName { get; }
    public RequestLogger Logger { get; }

    /// <summary>The streamed response, once the handler has opened it: then it, not the handler's return value, is the answer.</summary>
    public ResponseStream? Streamed { get; private set; }

    /// <summary>
    /// Answers this invocation as a stream (Lambda's response streaming: past 6 MB, the first bytes at once) instead of
    /// with the bytes the handler returns, which are then not sent. Write to it and return; throwing after the first
    /// write ends the stream with the error, as Lambda ends it.
    /// </summary>
    /// <param name="contentType">The body's type; application/vnd.awslambda.http-integration-response for an HTTP response with its prelude.</param>
    public ResponseStream OpenResponseStream(string contentType = "application/octet-stream")
    {
        if (Streamed is not null)
        {
            throw new InvalidOperationException("The response stream of this invocation is open already: write to the one OpenResponseStream returned.");
        }
        var open = _responseStreams ?? throw new InvalidOperationException("This invocation cannot stream its response: it runs outside the Lambda runtime loop.");
        return Streamed = open(contentType);
    }

    public void Dispose() => Interlocked.Exchange(ref _deadline, null)?.Dispose();

    private CancellationTokenSource CreateDeadline()
    {
        if (_cancelAt == DateTimeOffset.MaxValue)
        {
            return new CancellationTokenSource();
        }
        var cancelAfter = _cancelAt - _clock.GetUtcNow();
        return new CancellationTokenSource(cancelAfter > TimeSpan.Zero ? cancelAfter : TimeSpan.Zero, _clock);
    }
}
