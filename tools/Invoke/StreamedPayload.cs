using System.Text;
using Functions.Http;
using Functions.Tools.ApiGateway;
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
        StreamPrelude prelude;
        try
        {
            prelude = StreamPrelude.Parse(payload.AsSpan(0, end));
        }
        catch (InvalidFunctionResponseException)
        {
            return Encoding.UTF8.GetString(payload);
        }
        var head = new HttpApiResponse
        {
            StatusCode = prelude.StatusCode,
            Headers = prelude.Headers.Count > 0 ? prelude.Headers.GroupBy(h => h.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal) : null,
            Cookies = prelude.Cookies.Count > 0 ? [.. prelude.Cookies] : null,
        };
        var body = payload.AsSpan(end + HttpResponseStreaming.DelimiterLength);
        var isText = System.Text.Unicode.Utf8.IsValid(body);
        head.Body = isText ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body);
        head.IsBase64Encoded = !isText;
        return Encoding.UTF8.GetString(HttpApiResponseWriter.Write(head));
    }
}
