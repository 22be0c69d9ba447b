using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Functions.Runtime.Connection;
using Functions.Tests.Instances;

namespace Functions.Tests.Runtime;

/// <summary>
/// The runtime client's connections turn Nagle off and ACK what they receive at once: against a Runtime API that writes
/// a response as two sends with Nagle on, the body would otherwise wait ~40 ms for our delayed ACK of the headers
/// (88.7 ms per warm invocation at p50 against Python's http.server, under 1 ms with quick ACKs).
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
        await using var stream = await TcpConnections.ConnectAsync(endPoint, CancellationToken.None);
        using var accepted = await listener.AcceptSocketAsync();

        // Assert
        var socket = Assert.IsAssignableFrom<NetworkStream>(stream).Socket;
        Assert.True(socket.Connected);
        Assert.True(socket.NoDelay);
    }

    [Fact]
    public async Task A_connection_asks_for_quick_ACKs_each_time_it_reads_even_once_the_exchange_looks_interactive()
    {
        // Arrange: a request/response exchange, after which Linux delays the connection's ACKs (its "pingpong" mode).
        if (!OperatingSystem.IsLinux())
        {
            return; // TCP_QUICKACK is Linux's.
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = new DnsEndPoint("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stream = await TcpConnections.ConnectAsync(endPoint, CancellationToken.None);
        using var server = await listener.AcceptSocketAsync();
        var socket = Assert.IsAssignableFrom<NetworkStream>(stream).Socket;
        var buffer = new byte[16];
        for (var i = 0; i < 3; i++)
        {
            await server.SendAsync("response"u8.ToArray());
            await stream.ReadExactlyAsync(buffer.AsMemory(0, 8));
            await stream.WriteAsync("request"u8.ToArray());
            await server.ReceiveAsync(buffer);
        }

        // Act: the next read, pending until the server answers.
        var read = stream.ReadAsync(buffer).AsTask();

        // Assert
        Assert.Equal(1, QuickAck(socket));
        await server.SendAsync("x"u8.ToArray());
        Assert.Equal(1, await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_function_serves_warm_invocations_from_a_Runtime_API_that_writes_headers_and_body_apart()
    {
        // Python's http.server, Nagle and delayed ACKs on, each response in two sends (Fixtures/two_send_runtime_api.py).
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var script = Path.Combine(AppContext.BaseDirectory, "Runtime", "Fixtures", "two_send_runtime_api.py");
        using var api = Process.Start(new ProcessStartInfo("python3", [script, "20"]) { RedirectStandardOutput = true })!;
        var port = await api.StandardOutput.ReadLineAsync(patience.Token);

        var function = await ProcessRunner.RunAsync(
            DummyFunctionHost.Bootstrap,
            [],
            environment: new Dictionary<string, string> { ["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{port}", ["AWS_LAMBDA_FUNCTION_NAME"] = "Dummy" },
            cancellationToken: patience.Token);
        var timings = (await api.StandardOutput.ReadToEndAsync(patience.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await api.WaitForExitAsync(patience.Token);

        // Every event answered; the function then met the closed port, which ends it (not a crash of ours: no stack trace).
        Assert.Equal(19, timings.Length);
        Assert.DoesNotContain("   at ", function.Stderr, StringComparison.Ordinal);
    }

    /// <summary>getsockopt(TCP_QUICKACK): 1 while the connection ACKs at once, 0 while it delays ACKs.</summary>
    private static int QuickAck(Socket socket)
    {
        var value = new byte[4];
        socket.GetRawSocketOption((int)ProtocolType.Tcp, 12, value);
        return BitConverter.ToInt32(value);
    }
}
