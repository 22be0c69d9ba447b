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
}
