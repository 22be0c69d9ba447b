using System.Globalization;

namespace Functions.Tools.ApiGateway;

/// <summary>The headers map of a payload 2.0 event.</summary>
internal static class EventHeaders
{
    public const string Cookie = "cookie";
    public const string TraceIdHeader = "x-amzn-trace-id";

    /// <summary>
    /// Names lowercased (the documentation: "All headernames are lowercased"); a repeated header's values joined
    /// with commas, in order ("Duplicate headers are combined with commas"); Cookie left out (it becomes the cookies
    /// field). Like AWS, the gateway adds x-forwarded-for (the client's address appended to any it sent),
    /// x-forwarded-proto and x-forwarded-port, so a function can build absolute URLs such as a Location header,
    /// and x-amzn-trace-id, the request's X-Ray trace (<paramref name="traceRoot"/>).
    /// </summary>
    public static List<KeyValuePair<string, string>> From(GatewayRequest request, string traceRoot)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        void Set(string name, string value, bool append)
        {
            if (!index.TryGetValue(name, out var at))
            {
                index[name] = headers.Count;
                headers.Add(new(name, value));
            }
            else
            {
                headers[at] = new(name, append ? headers[at].Value + "," + value : value);
            }
        }
        foreach (var (name, value) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower != Cookie)
            {
                Set(lower, value, append: true);
            }
        }
        var forwardedFor = index.TryGetValue("x-forwarded-for", out var existing) ? headers[existing].Value + ", " : "";
        Set("x-forwarded-for", forwardedFor + request.SourceIp, append: false);
        Set("x-forwarded-port", Port(request), append: false);
        Set("x-forwarded-proto", request.Scheme, append: false);
        Set(TraceIdHeader, traceRoot, append: false);
        return headers;
    }

    /// <summary>The port the client connected to: the Host header's, else the scheme's default.</summary>
    private static string Port(GatewayRequest request)
    {
        var host = request.Host;
        var colon = host.LastIndexOf(':');
        var closing = host.LastIndexOf(']'); // "[::1]:3000": the port's colon follows the IPv6 literal.
        if (colon > closing && int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return port.ToString(CultureInfo.InvariantCulture);
        }
        return string.Equals(request.Scheme, "https", StringComparison.OrdinalIgnoreCase) ? "443" : "80";
    }
}
