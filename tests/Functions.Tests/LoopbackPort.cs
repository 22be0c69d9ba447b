using System.Net;
using System.Net.Sockets;

namespace Functions.Tests;

/// <summary>Ports for tests that need one nothing listens on (a dead service), or a free one to start something on.</summary>
internal static class LoopbackPort
{
    /// <summary>A port that was free a moment ago: the kernel picked it for a listener that is closed again.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
