namespace Functions.Tools.ApiGateway;

/// <summary>A request body over <see cref="GatewayLimits.MaxRequestBodyBytes"/>; the host answers 413.</summary>
public sealed class PayloadTooLargeException(int maxBodyBytes)
    : Exception($"The request body is larger than {maxBodyBytes} bytes, API Gateway's payload limit.")
{
    public int MaxBodyBytes { get; } = maxBodyBytes;
}
