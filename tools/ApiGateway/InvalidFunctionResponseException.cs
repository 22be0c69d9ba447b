namespace Functions.Tools.ApiGateway;

/// <summary>
/// A function result API Gateway cannot turn into an HTTP response. AWS answers such results with 500; the message
/// says what was wrong so the local log can tell the developer, which AWS does not.
/// </summary>
public sealed class InvalidFunctionResponseException : Exception
{
    public InvalidFunctionResponseException(string message)
        : base(message)
    {
    }

    public InvalidFunctionResponseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
