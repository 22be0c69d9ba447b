using System.Globalization;
using System.Net;

namespace Functions.Runtime.Connection;

/// <summary>
/// AWS_LAMBDA_RUNTIME_API as a place to connect to: "127.0.0.1:9001", "localhost:9001" or "[::1]:9001", as Lambda sets
/// it, optionally followed by a path the API is served under ("127.0.0.1:9001/instance-1"), as a local emulator may.
/// </summary>
public sealed record RuntimeApiAddress(string HostAndPort, EndPoint EndPoint, string PathPrefix)
{
    public static RuntimeApiAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var (hostAndPort, prefix) = slash < 0 ? (value, "") : (value[..slash], value[slash..].TrimEnd('/'));
        var colon = hostAndPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostAndPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            throw new FormatException($"The Runtime API's address '{value}' is not host:port.");
        }
        var host = hostAndPort[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        // A literal address needs no resolver: the common case (Lambda's is 127.0.0.1:9001) connects without one.
        EndPoint endPoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
        return new RuntimeApiAddress(hostAndPort, endPoint, prefix);
    }
}
