using System.Net;
using System.Net.Sockets;
using Functions.Runtime;

namespace Functions.Tests.Runtime;

/// <summary>
/// The runtime client's connections turn Nagle off: against a Runtime API that delays its ACKs, a POST's body would
/// otherwise wait ~40 ms for the ACK of its headers (issue 12 measured 88 ms per warm invocation).
/// </summary>
public sealed class RuntimeApiConnectionTests
{
    [Fact]
    public async Task A_connection_to_the_Runtime_API_sets_TCP_NODELAY()
    {
        // Arrange
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = new DnsEndPoint("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

        // Act
        await using var stream = await RuntimeApiClient.ConnectAsync(endPoint, CancellationToken.None);
        using var accepted = await listener.AcceptSocketAsync();

        // Assert
        var socket = Assert.IsType<NetworkStream>(stream).Socket;
        Assert.True(socket.Connected);
        Assert.True(socket.NoDelay);
    }

    [Fact]
    public void The_handler_the_client_uses_connects_through_it()
    {
        using var handler = RuntimeApiClient.CreateHandler();

        Assert.NotNull(handler.ConnectCallback);
        Assert.False(handler.UseProxy);
    }
}
