namespace Functions.Tools.ApiGateway;

/// <summary>
/// HTTP API quotas the emulator enforces, so a request that fails in AWS fails locally too
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
/// </summary>
public static class GatewayLimits
{
    /// <summary>"Payload size: 10 MB". A larger request body gets 413 before any function runs.</summary>
    public const int MaxRequestBodyBytes = 10 * 1024 * 1024;

    /// <summary>
    /// "Maximum integration timeout: 30 seconds". After it the client gets 503 even if the function is still
    /// running (its own Lambda timeout may be longer).
    /// </summary>
    public static readonly TimeSpan IntegrationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// "Total combined size of request line and header values: 10240 bytes". Over it the gateway answers 431 before
    /// any authorizer or function runs.
    /// </summary>
    public const int MaxRequestLineAndHeaderValuesBytes = 10240;

    /// <summary>What <see cref="MaxRequestLineAndHeaderValuesBytes"/> counts: "METHOD target HTTP/1.1" and every header value, in bytes.</summary>
    public static int RequestLineAndHeaderValuesBytes(GatewayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var line = request.Method.Length + 1 + request.RawPath.Length + (request.RawQueryString.Length > 0 ? 1 + request.RawQueryString.Length : 0) + 1 + request.Protocol.Length;
        return line + request.Headers.Sum(h => System.Text.Encoding.UTF8.GetByteCount(h.Value));
    }
}
