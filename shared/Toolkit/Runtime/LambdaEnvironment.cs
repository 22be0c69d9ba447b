namespace Functions.Runtime;

/// <summary>
/// Every environment variable the runtime reads, in one place, read through a seam tests can replace.
/// See https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
/// </summary>
public sealed class LambdaEnvironment
{
    /// <summary>host:port of the Runtime API; set by Lambda (and by ./fn locally).</summary>
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";
    /// <summary>The function's name, as deployed.</summary>
    public const string FunctionName = "AWS_LAMBDA_FUNCTION_NAME";
    /// <summary>The published version being run ($LATEST when unpublished).</summary>
    public const string FunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION";
    /// <summary>Configured memory in MB.</summary>
    public const string FunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    /// <summary>CloudWatch log group the function writes to.</summary>
    public const string LogGroupName = "AWS_LAMBDA_LOG_GROUP_NAME";
    /// <summary>CloudWatch log stream of this execution environment.</summary>
    public const string LogStreamName = "AWS_LAMBDA_LOG_STREAM_NAME";
    /// <summary>Text (default) or JSON: the shape of each log line.</summary>
    public const string LogFormat = "AWS_LAMBDA_LOG_FORMAT";
    /// <summary>Lowest level written: TRACE, DEBUG, INFO (default), WARN, ERROR, FATAL.</summary>
    public const string LogLevel = "AWS_LAMBDA_LOG_LEVEL";
    /// <summary>X-Ray trace header of the current invocation; the runtime sets it per invocation for the SDKs.</summary>
    public const string TraceId = "_X_AMZN_TRACE_ID";
    /// <summary>The DynamoDB table the items store uses; required by the Items functions.</summary>
    public const string TableName = "TABLE_NAME";
    /// <summary>The AWS SDKs' standard endpoint override for DynamoDB only (a local DynamoDB-compatible server).</summary>
    public const string DynamoDbEndpoint = "AWS_ENDPOINT_URL_DYNAMODB";
    /// <summary>The AWS SDKs' standard endpoint override for every service.</summary>
    public const string Endpoint = "AWS_ENDPOINT_URL";
    /// <summary>Region the function runs in.</summary>
    public const string Region = "AWS_REGION";

    private readonly Func<string, string?> _read;

    public LambdaEnvironment(Func<string, string?> read) => _read = read;

    /// <summary>The process environment.</summary>
    public static LambdaEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    public static LambdaEnvironment From(IReadOnlyDictionary<string, string> values) =>
        new(name => values.TryGetValue(name, out var value) ? value : null);

    public string? Get(string name)
    {
        var value = _read(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A variable the function cannot start without: missing means an initialization error.</summary>
    public string Require(string name) =>
        Get(name) ?? throw new InitializationException($"The environment variable {name} is not set.");

    public int GetInt(string name, int fallback) =>
        int.TryParse(Get(name), out var value) ? value : fallback;
}
