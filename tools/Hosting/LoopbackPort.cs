using System.Net;
using System.Net.Sockets;

namespace Functions.Tools.Hosting;

/// <summary>A loopback port for a process that takes its port on the command line (dynalite), or for nothing to listen on.</summary>
public static class LoopbackPort
{
    /// <summary>
    /// Binding port 0 makes the kernel choose a free port. It is released before the caller binds it, so another
    /// process (or an outgoing connection's ephemeral port, under load) could take it in between; dynalite then exits
    /// with EADDRINUSE and its start tries another port.
    /// </summary>
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
