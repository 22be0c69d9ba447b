namespace Functions.Tools.Invoke;

/// <summary>
/// A refusal of an Invoke request in Lambda's terms: the status, the error type SDKs read from x-amzn-ErrorType and
/// turn into their own exception (ValidationException, ResourceNotFoundException, ...), and Lambda's message.
/// </summary>
public sealed class InvokeError(int status, string type, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    /// <summary>
    /// Lambda's framework-level check of a parameter: "1 validation error detected: Value 'x' at 'functionName' failed
    /// to satisfy constraint: Member must ...", the wording SDK users see from the real service.
    /// </summary>
    public static InvokeError Validation(string value, string parameter, string constraint) =>
        new(400, "ValidationException", $"1 validation error detected: Value '{Shown(value)}' at '{parameter}' failed to satisfy constraint: {constraint}");

    public static InvokeError NotFound(string arn) => new(404, "ResourceNotFoundException", $"Function not found: {arn}");

    /// <summary>Lambda's answer while a function is being created (state Pending): here, while serve still builds it.</summary>
    public static InvokeError Pending(string name) => new(409, "ResourceConflictException",
        $"The operation cannot be performed at this time. The function is currently in the following state: Pending ({name} is still building in serve; retry in a few seconds).");

    /// <summary>A header or body Lambda cannot take ("The request body could not be parsed as JSON, or a request header is invalid").</summary>
    public static InvokeError InvalidContent(string message) => new(400, "InvalidRequestContentException", message);

    /// <summary>A value quoted back to the caller: at most 256 characters, control characters escaped, so a message stays one readable line.</summary>
    internal static string Shown(string value) => ShownText.Of(value, 256);
}
