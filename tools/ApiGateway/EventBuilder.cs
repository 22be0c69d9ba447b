using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// HTTP request -> the payload format 2.0 event HTTP API sends a Lambda proxy integration
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
/// Keys AWS leaves out when they have nothing to say are left out here too, not written as null or empty:
/// cookies, queryStringParameters, pathParameters, body (and stageVariables, which the emulator has none of).
/// The body is the event's last key (AWS writes it before pathParameters; key order means nothing to a JSON reader).
/// rawQueryString ("" when there is none), headers and isBase64Encoded are always present.
/// </summary>
public static class EventBuilder
{
    /// <summary>The account id AWS documents in its examples: obviously not a real account.</summary>
    public const string AccountId = "123456789012";

    /// <summary>A fixed id shaped like a real one (10 lowercase characters), so it is recognisably local.</summary>
    public const string ApiId = "fnlocalapi";

    /// <summary>The stage an HTTP API's default stage has; the emulator has only that one.</summary>
    public const string Stage = "$default";

    // The event goes to a function's JSON parser, never into HTML, so HTML-sensitive characters need no escaping
    // and non-ASCII text stays readable (and small) in logs.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="traceRoot">The request's trace, "Root=1-...", for its x-amzn-trace-id header (see <see cref="TraceRootOf"/>).</param>
    /// <param name="jwt">What the route's JWT authorizer found in the token, for requestContext.authorizer.jwt; null on an open route.</param>
    /// <param name="iam">The signer of a request to an AWS_IAM function URL, for requestContext.authorizer.iam; null otherwise.</param>
    /// <returns>The event, written into one buffer sized for it: it is handed on as it is, not copied.</returns>
    public static ReadOnlyMemory<byte> ToEvent(GatewayRequest request, RouteMatch match, string requestId, DateTimeOffset now, string traceRoot, JwtContext? jwt = null, IamContext? iam = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(match);
        var isText = IsTextBody(request); // Once: it reads the whole body to check its UTF-8.
        var buffer = new ArrayBufferWriter<byte>(EstimatedSize(request, isText, jwt));
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", "2.0");
            json.WriteString("routeKey", match.Route.RouteKey);
            var path = request.Path;
            json.WriteString("rawPath", path);
            json.WriteString("rawQueryString", request.RawQueryString);
            WriteArrayUnlessEmpty(json, "cookies", Cookies(request));
            WriteMap(json, "headers", EventHeaders.From(request, traceRoot));
            WriteMapUnlessEmpty(json, "queryStringParameters", QueryParameters.Parse(request.RawQueryString));
            WriteRequestContext(json, request, path, match, requestId, now, jwt, iam);
            WriteMapUnlessEmpty(json, "pathParameters", match.PathParameters);
            json.WriteBoolean("isBase64Encoded", request.Body.Length > 0 && !isText);
            // The object stays open: the body goes last, written straight into the buffer (see AppendBody).
            json.Flush();
        }
        AppendBody(buffer, request.Body.Span, isText);
        buffer.Write("}"u8);
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// The event's size, exact for its largest part: the body, as it will be written (base64, or UTF-8 with no
    /// character to escape). A body that needs escapes grows the buffer once; everything else fits in the margin.
    /// </summary>
    private static int EstimatedSize(GatewayRequest request, bool isText, JwtContext? jwt)
    {
        const int Fixed = 4096; // Everything but headers, claims and body, with room to spare.
        var headers = request.Headers.Sum(h => h.Key.Length + h.Value.Length + 8) + request.RawPath.Length * 2 + request.RawQueryString.Length * 3
            + (jwt?.Claims.Sum(c => c.Key.Length + c.Value.Length * 2 + 8) ?? 0);
        var body = request.Body;
        int bodySize;
        if (isText)
        {
            bodySize = EscapedLength(body.Span);
        }
        else
        {
            bodySize = (body.Length + 2) / 3 * 4;
        }
        return Fixed + headers + bodySize + 12; // ,"body":"..."
    }

    /// <summary>The length of valid UTF-8 once escaped for a JSON string (a JSON body's quotes make it longer than itself).</summary>
    private static int EscapedLength(ReadOnlySpan<byte> utf8)
    {
        var encoder = WriterOptions.Encoder!;
        if (encoder.FindFirstCharacterToEncodeUtf8(utf8) < 0)
        {
            return utf8.Length;
        }
        Span<byte> scratch = stackalloc byte[4096];
        var length = 0;
        while (!utf8.IsEmpty)
        {
            // Stops at a character boundary when the scratch is full; counted and continued.
            if (encoder.EncodeUtf8(utf8, scratch, out var consumed, out var written) == OperationStatus.InvalidData)
            {
                return utf8.Length * 6; // Not reached for valid UTF-8; the writer grows the buffer if the guess is short.
            }
            length += written;
            utf8 = utf8[consumed..];
        }
        return length;
    }

    /// <summary>
    /// A "text" body that is not UTF-8 cannot be a JSON string without rewriting it (U+FFFD for every bad byte, which
    /// a function would then store as sent): it goes as its bytes, base64, so the function sees exactly what the
    /// client sent and its own UTF-8 check refuses it.
    /// </summary>
    private static bool IsTextBody(GatewayRequest request) =>
        TextMediaTypes.IsText(request.Header("Content-Type")) && System.Text.Unicode.Utf8.IsValid(request.Body.Span);

    /// <summary>The trace a request belongs to: the Root of the X-Amzn-Trace-Id it came with, else a new one.</summary>
    public static string TraceRootOf(GatewayRequest request) =>
        Functions.Tools.RuntimeApi.TraceHeader.RootOf(request.Headers.FirstOrDefault(h => string.Equals(h.Key, EventHeaders.TraceIdHeader, StringComparison.OrdinalIgnoreCase)).Value)
            ?? Functions.Tools.RuntimeApi.TraceHeader.NewRoot();

    /// <summary>The request time as the event's requestContext.time writes it: "12/Mar/2020:19:03:58 +0000", UTC.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);

    /// <summary>
    /// Every Cookie header split into its "name=value" pairs, in order. The Cookie header itself is not in headers:
    /// format 2.0 moves cookies to this field.
    /// </summary>
    private static List<string> Cookies(GatewayRequest request) =>
        request.Headers
            .Where(h => string.Equals(h.Key, EventHeaders.Cookie, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    private static void WriteRequestContext(Utf8JsonWriter json, GatewayRequest request, string path, RouteMatch match, string requestId, DateTimeOffset now, JwtContext? jwt, IamContext? iam)
    {
        json.WriteStartObject("requestContext");
        json.WriteString("accountId", AccountId);
        json.WriteString("apiId", ApiId);
        if (jwt is not null)
        {
            WriteAuthorizer(json, jwt);
        }
        else if (iam is not null)
        {
            WriteAuthorizer(json, iam);
        }
        json.WriteString("domainName", request.Host);
        json.WriteString("domainPrefix", DomainPrefix(request.Host));
        json.WriteStartObject("http");
        json.WriteString("method", request.Method);
        json.WriteString("path", path);
        json.WriteString("protocol", request.Protocol);
        json.WriteString("sourceIp", request.SourceIp);
        json.WriteString("userAgent", request.Header("User-Agent") ?? "");
        json.WriteEndObject();
        json.WriteString("requestId", requestId);
        json.WriteString("routeKey", match.Route.RouteKey);
        json.WriteString("stage", Stage);
        json.WriteString("time", FormatTime(now));
        json.WriteNumber("timeEpoch", now.ToUnixTimeMilliseconds());
        json.WriteEndObject();
    }

    /// <summary>"authorizer":{"iam":{...}}, as a function URL with AWS_IAM auth writes it, with nulls where serve knows nothing.</summary>
    private static void WriteAuthorizer(Utf8JsonWriter json, IamContext iam)
    {
        json.WriteStartObject("authorizer");
        json.WriteStartObject("iam");
        json.WriteString("accessKey", iam.AccessKey);
        json.WriteString("accountId", AccountId);
        json.WriteString("callerId", iam.AccessKey);
        json.WriteNull("cognitoIdentity");
        json.WriteNull("principalOrgId");
        json.WriteString("userArn", $"arn:aws:iam::{AccountId}:user/{iam.AccessKey}");
        json.WriteString("userId", iam.AccessKey);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>"authorizer":{"jwt":{"claims":{...},"scopes":[...] or null}}, as HTTP API writes it after a JWT authorizer.</summary>
    private static void WriteAuthorizer(Utf8JsonWriter json, JwtContext jwt)
    {
        json.WriteStartObject("authorizer");
        json.WriteStartObject("jwt");
        WriteMap(json, "claims", jwt.Claims);
        if (jwt.Scopes is null)
        {
            json.WriteNull("scopes");
        }
        else
        {
            json.WriteStartArray("scopes");
            foreach (var scope in jwt.Scopes)
            {
                json.WriteStringValue(scope);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// Writes ,"body":"..." unless the body is empty: escaped UTF-8, or base64 (see <see cref="IsTextBody"/>), encoded
    /// from the body straight into the event's buffer. Utf8JsonWriter would escape a large string through a rented
    /// array of six times its length, which the shared pool then keeps: 30 MB for each 5 MB body, long after the burst.
    /// </summary>
    private static void AppendBody(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> body, bool isText)
    {
        if (body.IsEmpty)
        {
            return;
        }
        buffer.Write(",\"body\":\""u8);
        if (isText)
        {
            var encoder = WriterOptions.Encoder!;
            while (!body.IsEmpty)
            {
                var destination = buffer.GetSpan(Math.Min(body.Length * 6, 64 * 1024));
                if (encoder.EncodeUtf8(body, destination, out var consumed, out var written) == OperationStatus.InvalidData)
                {
                    throw new InvalidOperationException("A body checked as UTF-8 did not encode as UTF-8.");
                }
                buffer.Advance(written);
                body = body[consumed..];
            }
        }
        else
        {
            var length = Base64.GetMaxEncodedToUtf8Length(body.Length);
            Base64.EncodeToUtf8(body, buffer.GetSpan(length), out _, out var written);
            buffer.Advance(written);
        }
        buffer.Write("\""u8);
    }

    /// <summary>The Host's first label: "id" for id.execute-api.us-east-1.amazonaws.com, "127" for 127.0.0.1:3000.</summary>
    private static string DomainPrefix(string host)
    {
        if (host.StartsWith('['))
        {
            return host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)]; // An IPv6 literal has no labels: all of it.
        }
        var name = host.Split(':')[0];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }

    private static void WriteArrayUnlessEmpty(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteMapUnlessEmpty(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> entries)
    {
        if (entries.Any())
        {
            WriteMap(json, name, entries);
        }
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> entries)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in entries)
        {
            json.WriteString(key, value);
        }
        json.WriteEndObject();
    }
}
