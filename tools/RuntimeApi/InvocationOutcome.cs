namespace Functions.Tools.RuntimeApi;

/// <summary>How an invocation ended, as Lambda would report it to the caller.</summary>
public sealed record InvocationOutcome(InvocationStatus Status, byte[] Payload, string? ErrorType, DateTimeOffset At)
{
    public bool IsSuccess => Status == InvocationStatus.Success;

    public static InvocationOutcome Success(byte[] payload, DateTimeOffset at) => new(InvocationStatus.Success, payload, null, at);

    public static InvocationOutcome Error(string errorType, byte[] payload, DateTimeOffset at) => new(InvocationStatus.FunctionError, payload, errorType, at);
}

public enum InvocationStatus
{
    Success,
    /// <summary>The function reported an error, crashed, timed out or broke the protocol.</summary>
    FunctionError,
}
