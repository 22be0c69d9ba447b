namespace Functions.Runtime;

/// <summary>One event handed out by GET /runtime/invocation/next.</summary>
public sealed record Invocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? InvokedFunctionArn,
    string? TraceId,
    string? ClientContext,
    string? CognitoIdentity,
    byte[] Payload);
