using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Functions.Tests.Serve;

/// <summary>
/// Whatever a function returns, the caller gets an HTTP response (some requests got a closed socket).
/// Raw sockets, so a dropped connection is seen as one rather than as an HttpClient exception.
/// </summary>
public sealed class EveryRequestIsAnsweredTests : IAsyncLifetime
{
    private DummyApi _api = null!;

    public async Task InitializeAsync() => _api = await DummyApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("""{"statusCode":200,"headers":{"x-name":"café"},"body":"ok"}""", 200)]
    [InlineData("""{"statusCode":200,"headers":{"x-bad":"a\r\nx-injected: 1"},"body":"ok"}""", 500)]
    [InlineData("""{"statusCode":200,"headers":{"x-bad":"a\u0000b"},"body":"ok"}""", 500)]
    [InlineData("""{"statusCode":200,"headers":{"bad name":"v"},"body":"ok"}""", 500)]
    [InlineData("""{"statusCode":200,"headers":{"":"v"},"body":"ok"}""", 500)]
    [InlineData("""{"statusCode":101,"body":"ok"}""", 500)]
    [InlineData("""{"statusCode":100}""", 500)]
    [InlineData("""{"statusCode":200,"headers":{"connection":"close"},"body":"ok"}""", 200)]
    [InlineData("""{"statusCode":200,"headers":{"transfer-encoding":"chunked"},"body":"ok"}""", 200)]
    [InlineData("""{"statusCode":200,"cookies":["a=1\r\nb"],"body":"ok"}""", 500)]
    [InlineData("""{"statusCode":304,"body":"not sent"}""", 304)]
    public async Task A_function_result_always_becomes_an_HTTP_response(string result, int expected)
    {
        var status = await StatusOverRawSocketAsync($$"""{"action":"respond","response":{{result}}}""");

        Assert.Equal(expected, status);
    }

    private async Task<int?> StatusOverRawSocketAsync(string body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _api.Client.BaseAddress!.Port);
        var stream = client.GetStream();
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"POST /dummy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(bytes).ToArray());
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var line = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(line[9..12], System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
