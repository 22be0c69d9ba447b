namespace Functions.DynamoDb;

/// <summary>DynamoDB refused a request: its error type (the part after '#'), message and HTTP status.</summary>
public class DynamoDbException(string errorType, string message, int statusCode)
    : Exception($"DynamoDB {errorType} ({statusCode}): {message}")
{
    public string ErrorType { get; } = errorType;
    public int StatusCode { get; } = statusCode;

    /// <summary>
    /// Worth another try, as AWS's SDKs' standard retry mode judges it: throttled, a transaction with the same client
    /// token still running, or a failure on the service's side (500, 502, 503, 504; a 501 is not a passing state).
    /// </summary>
    public bool IsRetryable => StatusCode is 500 or 502 or 503 or 504
        || ErrorType is "ProvisionedThroughputExceededException" or "ThrottlingException" or "RequestLimitExceeded" or "TransactionInProgressException";
}

/// <summary>A condition expression did not hold: the write was refused and nothing changed.</summary>
public sealed class ConditionalCheckFailedException(string message, int statusCode)
    : DynamoDbException(Name, message, statusCode)
{
    public const string Name = "ConditionalCheckFailedException";
}

/// <summary>
/// A transaction was cancelled and nothing of it was written: <see cref="Reasons"/> has one entry per action, in order
/// ("ConditionalCheckFailed", "TransactionConflict", "None" for an action that was fine...).
/// </summary>
public sealed class TransactionCanceledException(string message, int statusCode, IReadOnlyList<CancellationReason> reasons)
    : DynamoDbException(Name, message, statusCode)
{
    public const string Name = "TransactionCanceledException";

    public IReadOnlyList<CancellationReason> Reasons { get; } = reasons;
}
