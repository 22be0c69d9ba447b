using Microsoft.AspNetCore.Http;

namespace Functions.Tools.ApiGateway;

/// <summary>What the gateway sends the client: a function's mapped result or one of <see cref="GatewayErrors"/>.</summary>
/// <param name="Headers">In order; a name may repeat (one set-cookie per cookie).</param>
public sealed record GatewayResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>The header HTTP API adds to every response, with the request's id.</summary>
    public const string RequestIdHeader = "apigw-requestid";

    /// <summary>A copy with the apigw-requestid header set to <paramref name="requestId"/>.</summary>
    public GatewayResponse WithRequestId(string requestId) => this with
    {
        Headers = Headers
            .Where(h => !string.Equals(h.Key, RequestIdHeader, StringComparison.OrdinalIgnoreCase))
            .Append(new(RequestIdHeader, requestId))
            .ToList(),
    };

    /// <summary>
    /// Writes status, headers and body. The length is the body's real one: a content-length or transfer-encoding a
    /// function set is dropped, because a wrong one would break the connection rather than the response.
    /// </summary>
    public async Task WriteToAsync(HttpResponse response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers)
        {
            if (!string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(name, "transfer-encoding", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
            }
        }
        // 1xx, 204 and 304 cannot carry a body; Kestrel throws if one is written.
        if (StatusCode < 200 || StatusCode == 204 || StatusCode == 304)
        {
            return;
        }
        response.ContentLength = Body.Length;
        await Functions.Tools.Hosting.BoundedWrite.WriteAsync(response.Body, Body, ct).ConfigureAwait(false);
    }
}
