namespace Functions.Runtime;

/// <summary>
/// The Runtime API answered with a status the function cannot recover from. A 500 means the execution
/// environment is broken, and the runtime must exit promptly (Runtime API docs, "Errors").
/// </summary>
public sealed class RuntimeApiException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
