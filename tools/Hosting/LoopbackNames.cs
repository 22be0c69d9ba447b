using System.Net;

namespace Functions.Tools.Hosting;

/// <summary>Host names only this machine answers to: what a request to a local tool may carry, and a rebound DNS name may not.</summary>
public static class LoopbackNames
{
    /// <summary>No name at all (HTTP/1.0), an address, or localhost: names no site can make resolve here on its own behalf.</summary>
    public static bool IsThisMachine(string host) =>
        host.Length == 0
        || IPAddress.TryParse(host.Trim('[', ']'), out _)
        || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>No Origin (not a browser's cross-origin request), or the origin of the very address the request was sent to.</summary>
    public static bool IsOwnOriginOrNone(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Origin is not { Count: > 0 } origin
            || string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
