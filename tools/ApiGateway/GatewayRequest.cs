using System.Net;
using Functions.Tools.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// An HTTP request as the gateway sees it: a plain value, so the event can be built and tested without Kestrel.
/// </summary>
/// <param name="RawPath">The path as sent, still percent-encoded, without the query string.</param>
/// <param name="RawQueryString">The query string as sent, without '?'; empty when there is none.</param>
/// <param name="Headers">Every header line in arrival order; a repeated header appears once per value.</param>
/// <param name="Host">The Host header's value, e.g. "127.0.0.1:3000".</param>
public sealed record GatewayRequest(
    string Method,
    string RawPath,
    string RawQueryString,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    string SourceIp,
    string Protocol,
    string Host)
{
    /// <summary>The scheme the client used; the emulator listens on plain HTTP.</summary>
    public string Scheme { get; init; } = "http";

    /// <summary>
    /// The path as HTTP API routes it and hands it to the function in rawPath and requestContext.http.path: percent-
    /// decoded (UTF-8), as the gateway delivers it (the behaviour AWS's Lambda Test Tool v2 was written to, see
    /// aws/aws-lambda-dotnet#1901). An encoded slash never reaches a route (<see cref="HasEncodedSlash"/>).
    /// </summary>
    public string Path => Uri.UnescapeDataString(RawPath);

    /// <summary>
    /// Whether the path holds "%2F": HTTP API cannot route it (the same finding), so the emulator answers 404
    /// rather than deliver "a/b" into one path parameter.
    /// </summary>
    public bool HasEncodedSlash => RawPath.Contains("%2F", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first value of a header, by case-insensitive name.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Reads a Kestrel request, body included.</summary>
    /// <exception cref="PayloadTooLargeException">The body is over <paramref name="maxBodyBytes"/>.</exception>
    public static async Task<GatewayRequest> FromHttpRequestAsync(HttpRequest request, int maxBodyBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return FromHttpRequest(request) with { Body = await ReadBodyAsync(request, maxBodyBytes, ct).ConfigureAwait(false) };
    }

    /// <summary>
    /// A Kestrel request without its body (still unread): enough to route it and to refuse it before a byte of the
    /// body is held. Add the body with <see cref="ReadBodyAsync"/>.
    /// </summary>
    public static GatewayRequest FromHttpRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (rawPath, rawQuery) = RawTarget(request);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? ""));
            }
        }
        return new GatewayRequest(
            request.Method,
            rawPath,
            rawQuery,
            headers,
            ReadOnlyMemory<byte>.Empty,
            ClientAddress(request.HttpContext.Connection.RemoteIpAddress),
            request.Protocol,
            request.Host.Value ?? "")
        {
            Scheme = request.Scheme,
        };
    }

    /// <summary>The body, read whole into one array.</summary>
    /// <exception cref="PayloadTooLargeException">The body is over <paramref name="maxBodyBytes"/>.</exception>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, int maxBodyBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await CappedBody.ReadAsync(request.Body, maxBodyBytes, request.ContentLength, ct).ConfigureAwait(false)
            ?? throw new PayloadTooLargeException(maxBodyBytes);
    }

    /// <summary>
    /// Path and query exactly as the client sent them. HttpRequest.Path is already decoded (and would turn "%2F" into
    /// a separator), so the raw request target is used when the server provides one.
    /// </summary>
    private static (string Path, string Query) RawTarget(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(target) && target.StartsWith('/'))
        {
            var question = target.IndexOf('?', StringComparison.Ordinal);
            return question < 0 ? (target, "") : (target[..question], target[(question + 1)..]);
        }
        var path = (request.PathBase + request.Path).ToUriComponent();
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        return (path.Length == 0 ? "/" : path, query);
    }

    /// <summary>The client's address as AWS reports it: IPv4 clients as plain IPv4, not "::ffff:a.b.c.d".</summary>
    private static string ClientAddress(IPAddress? address) => address switch
    {
        null => IPAddress.Loopback.ToString(), // An in-memory server has no socket; the client is this machine.
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        _ => address.ToString(),
    };
}
