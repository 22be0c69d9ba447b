namespace Functions.Runtime;

/// <summary>Header names of the Lambda Runtime API 2018-06-01.</summary>
public static class RuntimeApiHeaders
{
    public const string RequestId = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineMs = "Lambda-Runtime-Deadline-Ms";
    public const string InvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceId = "Lambda-Runtime-Trace-Id";
    public const string ClientContext = "Lambda-Runtime-Client-Context";
    public const string CognitoIdentity = "Lambda-Runtime-Cognito-Identity";
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";

    /// <summary>
    /// Ours, not Lambda's: the first /next carries <see cref="StartupTimes"/> so a local Runtime API can say where the
    /// init went. Lambda's Runtime API ignores a field it does not know, as HTTP servers do.
    /// </summary>
    public const string Startup = "Functions-Startup";
}
