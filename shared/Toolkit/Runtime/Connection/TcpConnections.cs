using System.Net;
using System.Net.Sockets;

namespace Functions.Runtime.Connection;

/// <summary>
/// TCP connections that never hold a segment back on either side: Nagle off (a request never waits on our side) and
/// ACKs at once before every read (see <see cref="QuickAck"/>), so a response never waits on the server's side either.
/// The Runtime API's connection uses them, and so does the DynamoDB client, through <see cref="ConnectAsync"/>.
/// </summary>
public static class TcpConnections
{
    /// <summary>TCP_QUICKACK from linux/tcp.h; Lambda runs on Linux, and elsewhere the delay does not arise the same way.</summary>
    private const int TcpQuickAck = 12;

    private static readonly byte[] On = BitConverter.GetBytes(1);

    public static Socket Connect(EndPoint endPoint)
    {
        var socket = NewSocket(endPoint);
        try
        {
            socket.Connect(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A connection as a stream that asks for quick ACKs on every read: what an HttpClient's ConnectCallback returns.</summary>
    public static async ValueTask<Stream> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = NewSocket(endPoint);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new QuickAckStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks the connection to ACK what it receives at once. A server that writes a response as two sends, headers then
    /// body, with Nagle on (Python's http.server does) holds the body until the headers are ACKed; Linux delays the ACK
    /// of a request/response connection by up to 40 ms, waiting for data to carry it, and the client has none to send
    /// until it has the body. Measured against such a server: 88.7 ms per warm invocation at p50, each /next and each
    /// /response stalled ~40 ms; with quick ACKs, 0.7 ms (tests/load/runtime-two-send.sh). Linux clears the flag
    /// whenever it likes, so it is set before every read. Lambda's own server happens not to split its writes, but a
    /// client should not depend on it.
    /// </summary>
    public static void QuickAck(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption((int)ProtocolType.Tcp, TcpQuickAck, On);
        }
    }

    private static Socket NewSocket(EndPoint endPoint) =>
        endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
}

/// <summary>A connection's stream that asks for a quick ACK before each read (<see cref="TcpConnections.QuickAck"/>).</summary>
internal sealed class QuickAckStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        TcpConnections.QuickAck(Socket);
        return base.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        TcpConnections.QuickAck(Socket);
        return base.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        TcpConnections.QuickAck(Socket);
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        TcpConnections.QuickAck(Socket);
        return base.ReadAsync(buffer, cancellationToken);
    }
}
