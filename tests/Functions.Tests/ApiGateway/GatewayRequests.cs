using System.Text;
using System.Text.Json;
using Functions.Tools.ApiGateway;
using Functions.Tools.Template;

namespace Functions.Tests.ApiGateway;

/// <summary>Requests and matches for event tests, with the defaults a local client would send.</summary>
internal static class GatewayRequests
{
    public const string Host = "127.0.0.1:3000";
    public const string SourceIp = "127.0.0.1";
    public const string RequestId = "JTHoQgzXoAMEJWA=";

    /// <summary>The time of the documentation's example event.</summary>
    public static readonly DateTimeOffset Now = new(2020, 3, 12, 19, 3, 58, 390, TimeSpan.Zero);

    public static GatewayRequest Get(string rawPath, string rawQueryString = "", params (string Name, string Value)[] headers) =>
        Send("GET", rawPath, rawQueryString, [], headers);

    public static GatewayRequest Post(string rawPath, byte[] body, string? contentType)
    {
        (string, string)[] headers = contentType is null ? [] : [("Content-Type", contentType)];
        return Send("POST", rawPath, "", body, headers);
    }

    public static GatewayRequest Send(string method, string rawPath, string rawQueryString, byte[] body, params (string Name, string Value)[] headers) =>
        new(
            method,
            rawPath,
            rawQueryString,
            [new("Host", Host), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))],
            body,
            SourceIp,
            "HTTP/1.1",
            Host);

    public static RouteMatch Match(string routeKey, params (string Name, string Value)[] pathParameters) =>
        new(new TemplateRoute(routeKey, "Fn"), pathParameters.ToDictionary(p => p.Name, p => p.Value));

    /// <summary>The event for a request, parsed: what the function's JSON parser would see.</summary>
    public static JsonElement Event(GatewayRequest request, RouteMatch? match = null, DateTimeOffset? now = null, JwtContext? jwt = null)
    {
        var bytes = EventBuilder.ToEvent(request, match ?? Match("$default"), RequestId, now ?? Now, EventBuilder.TraceRootOf(request), jwt);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
