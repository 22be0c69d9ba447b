namespace Functions.Tools.RuntimeApi;

/// <summary>
/// What the caller of an invocation passes besides the event: the trace it belongs to (HTTP API's x-amzn-trace-id)
/// and a client context (the Invoke API's X-Amz-Client-Context, decoded), which /next hands to the function in
/// Lambda-Runtime-Trace-Id and Lambda-Runtime-Client-Context.
/// </summary>
public sealed record CallerContext(string? TraceRoot = null, string? ClientContext = null)
{
    /// <summary>Collects the invocation's log lines, for an Invoke API caller that asked for its tail.</summary>
    public LogTail? Tail { get; init; }

    /// <summary>Takes the response as the function streams it, for a caller that passes it on as it comes.</summary>
    public ResponseSink? Sink { get; init; }
}
