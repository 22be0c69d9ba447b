using Microsoft.AspNetCore.Http;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// An HTTP API's CORS configuration (CorsConfiguration on AWS::ApiGatewayV2::Api), applied the way API Gateway applies
/// it (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html): the gateway itself answers
/// preflight OPTIONS requests, whatever the routes, and adds the CORS headers to every response for an allowed origin,
/// replacing any a function set ("API Gateway ignores CORS headers returned from your backend integration"). A function
/// URL's Cors (AWS::Lambda::Url) has the same fields and is applied the same way.
/// </summary>
public sealed record CorsPolicy(
    IReadOnlyList<string> AllowOrigins,
    IReadOnlyList<string> AllowMethods,
    IReadOnlyList<string> AllowHeaders,
    IReadOnlyList<string> ExposeHeaders,
    int? MaxAgeSeconds,
    bool AllowCredentials)
{
    private const string Wildcard = "*";

    /// <summary>A preflight: OPTIONS with Origin and Access-Control-Request-Method.</summary>
    public static bool IsPreflight(GatewayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == "OPTIONS" && request.Header("Origin") is not null && request.Header("Access-Control-Request-Method") is not null;
    }

    /// <summary>The gateway's answer to a preflight: 204, with the CORS headers when the origin is allowed.</summary>
    public GatewayResponse Preflight(GatewayRequest request, string requestId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new List<KeyValuePair<string, string>>();
        if (AllowedOrigin(request) is { } origin)
        {
            headers.Add(new("access-control-allow-origin", origin));
            var method = request.Header("Access-Control-Request-Method")!;
            headers.Add(new("access-control-allow-methods", AllowMethods.Contains(Wildcard) ? method : string.Join(',', AllowMethods)));
            var requested = request.Header("Access-Control-Request-Headers");
            var allowHeaders = AllowHeaders.Contains(Wildcard) ? requested : AllowHeaders.Count > 0 ? string.Join(',', AllowHeaders) : null;
            if (!string.IsNullOrEmpty(allowHeaders))
            {
                headers.Add(new("access-control-allow-headers", allowHeaders));
            }
            if (MaxAgeSeconds is { } maxAge)
            {
                headers.Add(new("access-control-max-age", maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            AddCommon(headers);
        }
        return new GatewayResponse(204, headers, []).WithRequestId(requestId);
    }

    /// <summary>The response with the function's own CORS headers dropped and the API's added for an allowed origin.</summary>
    public GatewayResponse Apply(GatewayRequest request, GatewayResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response with { Headers = [.. response.Headers.Where(h => !IsCors(h.Key)), .. Granted(request)] };
    }

    /// <summary>
    /// The same for a response whose headers are being written (a stream's, from its prelude): the function's CORS
    /// headers removed, the policy's added.
    /// </summary>
    public void ApplyTo(GatewayRequest request, IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var name in headers.Keys.Where(IsCors).ToList())
        {
            headers.Remove(name);
        }
        foreach (var (name, value) in Granted(request))
        {
            headers.Append(name, value);
        }
    }

    private static bool IsCors(string header) => header.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The headers an actual (not preflight) request from an allowed origin gets; none for another origin.</summary>
    private List<KeyValuePair<string, string>> Granted(GatewayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new List<KeyValuePair<string, string>>();
        if (AllowedOrigin(request) is { } origin)
        {
            headers.Add(new("access-control-allow-origin", origin));
            if (ExposeHeaders.Count > 0)
            {
                headers.Add(new("access-control-expose-headers", string.Join(',', ExposeHeaders)));
            }
            AddCommon(headers);
        }
        return headers;
    }

    /// <summary>What access-control-allow-origin says: "*" when any origin is allowed, else the request's own, if listed.</summary>
    private string? AllowedOrigin(GatewayRequest request)
    {
        var origin = request.Header("Origin");
        if (origin is null)
        {
            return null;
        }
        if (AllowOrigins.Contains(Wildcard))
        {
            return AllowCredentials ? origin : Wildcard; // With credentials a browser refuses "*".
        }
        return AllowOrigins.FirstOrDefault(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase)) is not null ? origin : null;
    }

    private void AddCommon(List<KeyValuePair<string, string>> headers)
    {
        if (AllowCredentials)
        {
            headers.Add(new("access-control-allow-credentials", "true"));
        }
        if (!AllowOrigins.Contains(Wildcard))
        {
            headers.Add(new("vary", "origin")); // The answer depends on the origin: caches must keep them apart.
        }
    }
}
