using System.Text.Json;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// The head of a streamed HTTP answer (application/vnd.awslambda.http-integration-response): JSON with the status,
/// headers and cookies, which eight NUL bytes separate from the body. A header or cookie that is not a JSON string is
/// passed on as its JSON text, as a function URL passes it.
/// </summary>
public sealed record StreamPrelude(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> Cookies)
{
    /// <exception cref="InvalidFunctionResponseException">Not JSON, or no statusCode from 100 to 599.</exception>
    public static StreamPrelude Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidFunctionResponseException($"the prelude is not JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            var status = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("statusCode", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var number) && number is >= 100 and <= 599
                ? number
                : throw new InvalidFunctionResponseException("the prelude has no statusCode from 100 to 599");
            var headers = root.TryGetProperty("headers", out var map) && map.ValueKind == JsonValueKind.Object
                ? map.EnumerateObject().Select(h => KeyValuePair.Create(h.Name, Text(h.Value))).ToList()
                : [];
            var cookies = root.TryGetProperty("cookies", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(Text).ToList()
                : [];
            return new StreamPrelude(status, headers, cookies);
        }
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
