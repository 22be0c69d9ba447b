using System.Text;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// The answers HTTP API gives on its own, without (or instead of) a function's: the bodies AWS sends, as
/// application/json, each with the request's apigw-requestid header.
/// </summary>
public static class GatewayErrors
{
    /// <summary>No route matches the request.</summary>
    public static GatewayResponse NotFound(string requestId) => Message(404, "Not Found", requestId);

    /// <summary>The function failed, timed out or returned something <see cref="ResponseMapper"/> cannot map.</summary>
    public static GatewayResponse InternalServerError(string requestId) => Message(500, "Internal Server Error", requestId);

    /// <summary>The integration did not answer within <see cref="GatewayLimits.IntegrationTimeout"/>, or no instance could take it.</summary>
    public static GatewayResponse ServiceUnavailable(string requestId) => Message(503, "Service Unavailable", requestId);

    /// <summary>The request body is over <see cref="GatewayLimits.MaxRequestBodyBytes"/>.</summary>
    public static GatewayResponse PayloadTooLarge(string requestId) => Message(413, "Request Entity Too Large", requestId);

    /// <summary>The request line and header values are over <see cref="GatewayLimits.MaxRequestLineAndHeaderValuesBytes"/>.</summary>
    public static GatewayResponse RequestHeaderFieldsTooLarge(string requestId) => Message(431, "Request Header Fields Too Large", requestId);

    /// <summary>
    /// What the gateway says of a request Kestrel refused before it could be read (see <see cref="Hosting.ServerRefusals"/>):
    /// a line or headers over the limit is <see cref="RequestHeaderFieldsTooLarge"/>; anything else is the caller's
    /// fault too (even an HTTP version Kestrel answers 505), so a 4xx with HTTP's reason for it.
    /// </summary>
    public static GatewayResponse Unreadable(int status, string requestId) => status switch
    {
        414 or 431 => RequestHeaderFieldsTooLarge(requestId),
        >= 400 and < 500 => Message(status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), requestId),
        _ => Message(400, "Bad Request", requestId),
    };

    /// <summary>
    /// The route's JWT authorizer found no valid token: HTTP API's 401, with the reason in www-authenticate as HTTP
    /// API gives it (RFC 6750's invalid_token).
    /// </summary>
    public static GatewayResponse Unauthorized(string requestId, string reason)
    {
        var response = Message(401, "Unauthorized", requestId);
        var challenge = $"Bearer scope=\"\" error=\"invalid_token\" error_description=\"{QuotedStringText(reason)}\"";
        return response with { Headers = [.. response.Headers, new("www-authenticate", challenge)] };
    }

    /// <summary>
    /// The reason as the inside of a quoted-string (RFC 9110 §5.6.4): a double quote as a single one, a backslash
    /// escaped, and anything but visible ASCII, which a header value should not carry (§5.5) and Kestrel refuses in
    /// part (CR, LF, NUL), as '?'.
    /// </summary>
    private static string QuotedStringText(string reason) =>
        string.Concat(reason.Select(c => c switch
        {
            '"' => "'",
            '\\' => "\\\\",
            >= ' ' and < '\x7f' => c.ToString(),
            _ => "?",
        }));

    /// <summary>A valid token without one of the route's scopes.</summary>
    public static GatewayResponse Forbidden(string requestId) => Message(403, "Forbidden", requestId);

    /// <summary>
    /// A local service the function needs is down (dynalite, while serve starts it again): not an answer HTTP API
    /// gives, so it says plainly what is wrong, as a problem with the request id, and does not run the function.
    /// </summary>
    public static GatewayResponse LocalServiceUnavailable(string requestId, string detail) =>
        new GatewayResponse(
            503,
            [new("content-type", Functions.Errors.Problem.ContentType), new("retry-after", "1")],
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Functions.Errors.Problem.For(503, detail, requestId), Functions.Json.FunctionsJson.Wire.Problem))
        .WithRequestId(requestId);

    // The messages are fixed ASCII, so plain concatenation is valid JSON.
    private static GatewayResponse Message(int status, string message, string requestId) =>
        new GatewayResponse(
            status,
            [new("content-type", "application/json")],
            Encoding.UTF8.GetBytes($"{{\"message\":\"{message}\"}}"))
        .WithRequestId(requestId);
}
