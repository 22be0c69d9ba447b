using System.Text;
using Functions.Errors;

namespace Functions.Http;

/// <summary>The JSON body of a request: content type checked, base64 decoded, size bounded.</summary>
public static class RequestBody
{
    /// <summary>Item bodies are small; anything bigger is a client mistake, refused before parsing.</summary>
    public const int MaxJsonBytes = 64 * 1024;

    public static ReadOnlyMemory<byte> ReadJson(HttpApiRequest request, int maxBytes = MaxJsonBytes)
    {
        var contentType = request.Header("content-type");
        if (!IsJson(contentType))
        {
            throw ApiError.UnsupportedMediaType(
                contentType is null
                    ? "The request has no content-type; send application/json."
                    : $"The content-type {contentType} is not supported; send application/json.");
        }
        var bytes = Decode(request);
        if (bytes.Length > maxBytes)
        {
            throw ApiError.PayloadTooLarge($"The body is {bytes.Length} bytes; at most {maxBytes} are accepted.");
        }
        if (bytes.Length == 0)
        {
            throw ApiError.Invalid("body", "is required: a JSON object");
        }
        return bytes;
    }

    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Decode(HttpApiRequest request)
    {
        if (string.IsNullOrEmpty(request.Body))
        {
            return [];
        }
        if (!request.IsBase64Encoded)
        {
            return Encoding.UTF8.GetBytes(request.Body);
        }
        try
        {
            return Convert.FromBase64String(request.Body);
        }
        catch (FormatException)
        {
            throw ApiError.Invalid("body", "is marked base64-encoded but is not valid base64");
        }
    }
}
