namespace Functions.Errors;

/// <summary>An RFC 9457 problem details object (application/problem+json).</summary>
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string? Detail,
    string? Instance,
    IReadOnlyDictionary<string, string[]>? Errors)
{
    public const string ContentType = "application/problem+json";

    /// <summary>The status alone says what happened, so the type is about:blank and the title its reason phrase (RFC 9457 §4.2.1).</summary>
    public static Problem For(int status, string? detail, string? requestId, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new("about:blank", TitleOf(status), status, detail, requestId, errors);

    public static string TitleOf(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    };
}
