using System.Buffers;
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
    public static byte[] ToEvent(GatewayRequest request, RouteMatch match, string requestId, DateTimeOffset now, string traceRoot)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(match);
        var buffer = new ArrayBufferWriter<byte>(2048 + request.Body.Length * 4 / 3);
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
            WriteRequestContext(json, request, path, match, requestId, now);
            var isBase64 = WriteBody(json, request);
            WriteMapUnlessEmpty(json, "pathParameters", match.PathParameters);
            json.WriteBoolean("isBase64Encoded", isBase64);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

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

    private static void WriteRequestContext(Utf8JsonWriter json, GatewayRequest request, string path, RouteMatch match, string requestId, DateTimeOffset now)
    {
        json.WriteStartObject("requestContext");
        json.WriteString("accountId", AccountId);
        json.WriteString("apiId", ApiId);
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

    /// <summary>Writes body unless it is empty; returns isBase64Encoded (see <see cref="TextMediaTypes"/>).</summary>
    private static bool WriteBody(Utf8JsonWriter json, GatewayRequest request)
    {
        if (request.Body.Length == 0)
        {
            return false;
        }
        // A "text" body that is not UTF-8 cannot be a JSON string without rewriting it (U+FFFD for every bad byte,
        // which a function would then store as sent): it goes as its bytes, base64, so the function sees exactly what
        // the client sent and its own UTF-8 check refuses it.
        if (TextMediaTypes.IsText(request.Header("Content-Type")) && System.Text.Unicode.Utf8.IsValid(request.Body))
        {
            json.WriteString("body", Encoding.UTF8.GetString(request.Body));
            return false;
        }
        json.WriteBase64String("body", request.Body);
        return true;
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
