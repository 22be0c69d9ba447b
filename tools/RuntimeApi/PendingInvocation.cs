namespace Functions.Tools.RuntimeApi;

/// <summary>An event waiting for, or being handled by, a function instance.</summary>
public sealed class PendingInvocation
{
    private readonly TaskCompletionSource<InvocationOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DateTimeOffset> _dispatched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingInvocation(string requestId, ReadOnlyMemory<byte> payload, TimeSpan timeout, string functionArn, string traceId)
    {
        RequestId = requestId;
        Payload = payload;
        Timeout = timeout;
        FunctionArn = functionArn;
        TraceId = traceId;
    }

    public string RequestId { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public TimeSpan Timeout { get; }
    public string FunctionArn { get; }
    public string TraceId { get; }

    /// <summary>The client context JSON for Lambda-Runtime-Client-Context, when the caller sent one.</summary>
    public string? ClientContext { get; init; }

    /// <summary>Where a streamed response goes as it is written, when the caller can pass one on; null: it is gathered into the outcome.</summary>
    public ResponseSink? Sink { get; init; }

    /// <summary>Set when an instance took the event from /next; the deadline counts from then, as on Lambda.</summary>
    public DateTimeOffset? DispatchedAt { get; private set; }

    public Task<DateTimeOffset> Dispatched => _dispatched.Task;
    public Task<InvocationOutcome> Outcome => _outcome.Task;
    public bool IsCompleted => _outcome.Task.IsCompleted;

    internal DateTimeOffset MarkDispatched(DateTimeOffset now)
    {
        DispatchedAt = now;
        _dispatched.TrySetResult(now);
        return now + Timeout;
    }

    /// <summary>First answer wins; a second one is refused (403 on the Runtime API).</summary>
    public bool TryComplete(InvocationOutcome outcome) => _outcome.TrySetResult(outcome);
}
