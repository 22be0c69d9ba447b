namespace Functions.Tools.RuntimeApi;

/// <summary>How an invocation ended, as Lambda would report it to the caller.</summary>
public sealed record InvocationOutcome(InvocationStatus Status, byte[] Payload, string? ErrorType, DateTimeOffset At)
{
    /// <summary>Lambda's error type when the function ran past its timeout and was stopped.</summary>
    public const string TimedOut = "Sandbox.Timedout";

    /// <summary>Lambda's error type when the runtime process exited before it answered.</summary>
    public const string ExitError = "Runtime.ExitError";

    /// <summary>Lambda's error type when the function used more than its memory size and was stopped.</summary>
    public const string OutOfMemory = "Runtime.OutOfMemory";

    public bool IsSuccess => Status == InvocationStatus.Success;

    /// <summary>A streamed response's content type (the HTTP prelude's, for a function URL's answer); null for a buffered one.</summary>
    public string? StreamContentType { get; init; }

    /// <summary>
    /// When the function began its streamed response (its head; this toolkit's runtime sends it with the first bytes):
    /// the caller's time to first byte counts to here. Null for a buffered response.
    /// </summary>
    public DateTimeOffset? StreamStartedAt { get; init; }

    /// <summary>The platform ended the invocation (timeout, crash, memory), not the function: its process is gone.</summary>
    public bool IsPlatformFailure => ErrorType is TimedOut or ExitError or OutOfMemory;

    public static InvocationOutcome Success(byte[] payload, DateTimeOffset at) => new(InvocationStatus.Success, payload, null, at);

    public static InvocationOutcome Error(string errorType, byte[] payload, DateTimeOffset at) => new(InvocationStatus.FunctionError, payload, errorType, at);
}

public enum InvocationStatus
{
    Success,
    /// <summary>The function reported an error, crashed, timed out or broke the protocol.</summary>
    FunctionError,
}
