namespace Functions.Tools.ApiGateway;

/// <summary>
/// Which request bodies HTTP API hands to a function as text. HTTP APIs have no binaryMediaTypes setting; the
/// documentation says only "If the content type of the request is binary, the body is base64-encoded" without listing
/// the types. Observed on AWS (payload 2.0, ministackorg/ministack#766): the body is passed as a UTF-8 string with
/// isBase64Encoded false only for text/* and application/json, application/xml and application/javascript.
/// Everything else is base64 with isBase64Encoded true — a missing Content-Type, application/octet-stream, and
/// also application/x-www-form-urlencoded, which surprises people, and structured suffixes like
/// application/problem+json. Parameters (charset) do not matter; media types compare case-insensitively.
/// </summary>
internal static class TextMediaTypes
{
    private static readonly string[] TextApplicationTypes = ["application/json", "application/xml", "application/javascript"];

    public static bool IsText(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || TextApplicationTypes.Any(t => string.Equals(t, mediaType, StringComparison.OrdinalIgnoreCase));
    }
}
