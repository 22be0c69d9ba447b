using System.Text;
using System.Text.Json;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// A function's result -> the HTTP response, as HTTP API maps payload format 2.0 results
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
/// "Lambda function response for format 2.0"):
/// <list type="bullet">
/// <item>A JSON object with statusCode is a response: statusCode, headers (string values), cookies (each a
/// set-cookie header), body, and isBase64Encoded (body is base64 of the bytes to send). multiValueHeaders belongs to
/// format 1.0 and is ignored.</item>
/// <item>Any other valid JSON — an object without statusCode, an array, a number — is the body itself, with 200 and
/// content-type application/json ("API Gateway makes the following assumptions if your Lambda function returns valid
/// JSON and doesn't return a statusCode"). The JSON text is sent as the function wrote it. A JSON string is the one
/// exception: the documentation's table maps the output "Hello from Lambda!" to the body Hello from Lambda!, so the
/// string's value is sent, without its quotes.</item>
/// <item>Anything else throws <see cref="InvalidFunctionResponseException"/> and the host answers 500.</item>
/// </list>
/// A property that is null counts as absent: .NET's serializers write null for unset properties.
/// </summary>
public static class ResponseMapper
{
    private const string JsonContentType = "application/json";

    /// <exception cref="InvalidFunctionResponseException">The result is not JSON or not a valid 2.0 response.</exception>
    public static GatewayResponse ToResponse(byte[] functionResult)
    {
        ArgumentNullException.ThrowIfNull(functionResult);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(functionResult);
        }
        catch (JsonException e)
        {
            throw new InvalidFunctionResponseException($"The function's result is not JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && Property(root, "statusCode") is { } statusCode)
            {
                return FromResponseObject(root, statusCode);
            }
            var body = root.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(root.GetString()!) : functionResult;
            return new GatewayResponse(200, [new("content-type", JsonContentType)], body);
        }
    }

    private static GatewayResponse FromResponseObject(JsonElement response, JsonElement statusCode)
    {
        if (statusCode.ValueKind != JsonValueKind.Number || !statusCode.TryGetInt32(out var status) || status is < 200 or > 599)
        {
            // 1xx are interim answers: sent as the final one, they leave the client waiting on a connection that then
            // closes. The gateway has no final response to give, so the caller gets its 500.
            throw new InvalidFunctionResponseException($"statusCode must be an integer from 200 to 599, not {statusCode.GetRawText()}.");
        }
        var headers = new List<KeyValuePair<string, string>>();
        if (Property(response, "headers") is { } declared)
        {
            if (declared.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidFunctionResponseException($"headers must be an object of strings, not {declared.ValueKind}.");
            }
            foreach (var header in declared.EnumerateObject())
            {
                if (header.Value.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidFunctionResponseException($"The header \"{header.Name}\" must be a string, not {header.Value.ValueKind}.");
                }
                headers.Add(Header(header.Name, header.Value.GetString()!));
            }
        }
        if (Property(response, "cookies") is { } cookies)
        {
            if (cookies.ValueKind != JsonValueKind.Array || cookies.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
            {
                throw new InvalidFunctionResponseException("cookies must be an array of strings.");
            }
            headers.AddRange(cookies.EnumerateArray().Select(c => Header("set-cookie", c.GetString()!)));
        }
        return new GatewayResponse(status, headers, Body(response));
    }

    private static byte[] Body(JsonElement response)
    {
        var body = Property(response, "body");
        if (body is { ValueKind: not JsonValueKind.String })
        {
            throw new InvalidFunctionResponseException($"body must be a string, not {body.Value.ValueKind}.");
        }
        var text = body?.GetString() ?? "";
        var isBase64 = Property(response, "isBase64Encoded");
        if (isBase64 is { ValueKind: not (JsonValueKind.True or JsonValueKind.False) })
        {
            throw new InvalidFunctionResponseException($"isBase64Encoded must be true or false, not {isBase64.Value.GetRawText()}.");
        }
        if (isBase64?.ValueKind != JsonValueKind.True)
        {
            return Encoding.UTF8.GetBytes(text);
        }
        var bytes = new byte[text.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            throw new InvalidFunctionResponseException("isBase64Encoded is true but body is not valid base64.");
        }
        return bytes[..written];
    }

    /// <summary>
    /// A header Kestrel can send. A name that is not an HTTP token or a value with a control character (a line break) would otherwise
    /// fail while writing, after the status line could no longer become a 500.
    /// </summary>
    private static KeyValuePair<string, string> Header(string name, string value)
    {
        if (name.Length == 0 || !name.All(IsTokenCharacter))
        {
            throw new InvalidFunctionResponseException($"\"{name}\" is not a valid header name.");
        }
        if (value.Any(c => char.IsControl(c) && c != '\t'))
        {
            throw new InvalidFunctionResponseException($"The value of the header \"{name}\" contains a control character.");
        }
        return new(name, value);
    }

    // RFC 9110 section 5.6.2: token = 1*tchar.
    private static bool IsTokenCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
