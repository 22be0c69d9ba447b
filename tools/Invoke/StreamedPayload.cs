using System.Text;
using Functions.Http;
using Functions.Json;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Invoke;

/// <summary>
/// What `fn invoke` prints for an invocation's answer: the payload as the function sent it, except a streamed HTTP
/// answer (prelude, eight NUL bytes, body), which reads as the payload 2.0 response a buffered function would give
/// (statusCode, headers, cookies, body; base64 when the body is not UTF-8), not as JSON with NUL bytes in it.
/// </summary>
internal static class StreamedPayload
{
    public static string Printable(InvocationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var payload = outcome.Payload;
        if (outcome.StreamContentType != HttpResponseStreaming.ContentType
            || payload.AsSpan().IndexOf(new byte[HttpResponseStreaming.DelimiterLength]) is not (> 0 and var end))
        {
            return Encoding.UTF8.GetString(payload);
        }
        HttpApiResponse? head;
        try
        {
            head = System.Text.Json.JsonSerializer.Deserialize(payload.AsSpan(0, end), FunctionsJson.Wire.HttpApiResponse);
        }
        catch (System.Text.Json.JsonException)
        {
            return Encoding.UTF8.GetString(payload);
        }
        if (head is null)
        {
            return Encoding.UTF8.GetString(payload);
        }
        var body = payload.AsSpan(end + HttpResponseStreaming.DelimiterLength);
        var isText = System.Text.Unicode.Utf8.IsValid(body);
        head.Body = isText ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body);
        head.IsBase64Encoded = !isText;
        return Encoding.UTF8.GetString(HttpApiResponseWriter.Write(head));
    }
}
