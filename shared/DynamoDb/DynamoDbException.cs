namespace Functions.DynamoDb;

/// <summary>DynamoDB refused a request: its error type (the part after '#'), message and HTTP status.</summary>
public class DynamoDbException(string errorType, string message, int statusCode)
    : Exception($"DynamoDB {errorType} ({statusCode}): {message}")
{
    public string ErrorType { get; } = errorType;
    public int StatusCode { get; } = statusCode;

    /// <summary>Worth another try: throttled, or the service failed on its side.</summary>
    public bool IsRetryable => StatusCode >= 500 || ErrorType is "ProvisionedThroughputExceededException" or "ThrottlingException" or "RequestLimitExceeded";
}

/// <summary>A condition expression did not hold: the write was refused and nothing changed.</summary>
public sealed class ConditionalCheckFailedException(string message, int statusCode)
    : DynamoDbException(Name, message, statusCode)
{
    public const string Name = "ConditionalCheckFailedException";
}
