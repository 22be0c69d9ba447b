using System.Buffers;
using System.Text.Json;
using Functions.Json;
using Functions.Runtime;

namespace Functions.Http;

/// <summary>
/// An HTTP response streamed as function URLs in invoke mode RESPONSE_STREAM take it (content type
/// application/vnd.awslambda.http-integration-response): the status, headers and cookies as a JSON prelude, eight NUL
/// bytes, then the body as the handler writes it. The prelude goes out when the stream is opened, so the caller has
/// the status at once.
/// </summary>
public static class HttpResponseStreaming
{
    public const string ContentType = "application/vnd.awslambda.http-integration-response";

    /// <summary>What separates the prelude from the body.</summary>
    public const int DelimiterLength = 8;

    /// <summary>Opens the invocation's response stream and sends the prelude: write the body to what it returns.</summary>
    public static ResponseStream Open(InvocationContext context, int statusCode = 200, Dictionary<string, string>? headers = null, List<string>? cookies = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stream = context.OpenResponseStream(ContentType);
        stream.Write(Prelude(new HttpApiResponse { StatusCode = statusCode, Headers = headers, Cookies = cookies }));
        return stream;
    }

    /// <summary>The prelude of <paramref name="head"/> (its body is not part of it) and the eight NUL bytes after it.</summary>
    public static byte[] Prelude(HttpApiResponse head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            json.WriteStartObject();
            HttpApiResponseWriter.WriteHead(json, head);
            json.WriteEndObject();
        }
        buffer.GetSpan(DelimiterLength)[..DelimiterLength].Clear();
        buffer.Advance(DelimiterLength);
        return buffer.WrittenSpan.ToArray();
    }
}
