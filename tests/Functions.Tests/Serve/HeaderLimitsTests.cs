using System.Text.Json;
using Functions.Tools.ApiGateway;

namespace Functions.Tests.Serve;

/// <summary>
/// HTTP API's quota on the request line and header values (10,240 bytes), and what is past it or past what Kestrel
/// reads at all: every refusal is the gateway's 431 or 400 with its JSON body and request id, and a line in serve's
/// log; the function never runs. Real sockets, the dummy function as a real process.
/// </summary>
public sealed class HeaderLimitsTests
{
    private const string Echo = """{"action":"respond","response":{"statusCode":200,"body":"ran"}}""";

    /// <summary>"POST /dummy HTTP/1.1" and the values of Host, Content-Type and what RawHttp always sends: Content-Length, Connection.</summary>
    private static readonly int FixedBytes = "POST /dummy HTTP/1.1".Length + "h".Length + "application/json".Length + Echo.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + "close".Length;

    [Fact]
    public async Task A_request_line_and_header_values_of_exactly_10240_bytes_reach_the_function()
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.Client.BaseAddress!, Head(GatewayLimits.MaxRequestLineAndHeaderValuesBytes - FixedBytes), Echo);

        Assert.True(answer.Status == 200, api.Output.ToString());
        Assert.Equal("ran", answer.Body);
        Assert.Contains("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_byte_more_is_431_with_the_gateways_body_and_the_function_does_not_run()
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.Client.BaseAddress!, Head(GatewayLimits.MaxRequestLineAndHeaderValuesBytes - FixedBytes + 1), Echo);

        AssertGatewayAnswer(answer, 431, "Request Header Fields Too Large");
        Assert.Contains("10241 bytes, over HTTP API's 10240", api.Output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization", 64 * 1024)]
    [InlineData("Cookie", 1024 * 1024)]
    public async Task Headers_past_what_Kestrel_reads_get_the_gateways_431_not_a_bare_one(string header, int bytes)
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.Client.BaseAddress!, $"POST /dummy HTTP/1.1\r\nHost: h\r\n{header}: {new string('a', bytes)}\r\n", Echo);

        AssertGatewayAnswer(answer, 431, "Request Header Fields Too Large");
        Assert.Contains("[gateway] error: Refused unread", api.Output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_kept_alive_connection_a_refusal_after_an_answered_request_is_still_the_gateways()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(api.Client.BaseAddress!.Host, api.Client.BaseAddress.Port);
        var stream = client.GetStream();
        var first = $"POST /dummy HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: {Echo.Length}\r\n\r\n{Echo}";
        var second = $"POST /dummy HTTP/1.1\r\nHost: h\r\nX-Big: {new string('b', 64 * 1024)}\r\nContent-Length: 0\r\n\r\n";

        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(first + second));
        var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(30));

        var text = System.Text.Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("HTTP/1.1 431", StringComparison.Ordinal);
        Assert.True(split > 0, text);
        Assert.Equal(200, RawAnswer.Parse(text[..split]).Status);
        AssertGatewayAnswer(RawAnswer.Parse(text[split..]), 431, "Request Header Fields Too Large");
    }

    [Fact]
    public async Task A_request_line_past_what_Kestrel_reads_gets_the_gateways_431()
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.Client.BaseAddress!, $"POST /dummy/{new string('p', 30_000)} HTTP/1.1\r\nHost: h\r\n", Echo);

        AssertGatewayAnswer(answer, 431, "Request Header Fields Too Large");
    }

    [Theory]
    [InlineData("POST /dummy HTTP/1.1\r\nHost: h\r\nNo colon in this line\r\n")]
    [InlineData("P@ST /dummy HTTP/1.1\r\nHost: h\r\n")]
    [InlineData("POST /dummy HTTP/9.9\r\nHost: h\r\n")] // Kestrel's 505: still the caller's fault.
    [InlineData("POST /dummy HTTP/1.1\r\nHost: h\r\nX-Bad: a\u0000b\r\n")]
    public async Task A_request_Kestrel_cannot_parse_gets_the_gateways_400(string head)
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.Client.BaseAddress!, head, Echo);

        AssertGatewayAnswer(answer, 400, "Bad Request");
    }

    [Theory]
    [InlineData("zz\r\n{}\r\n0\r\n\r\n", 400, "Bad Request")] // Not a chunk size.
    [InlineData("5\r\n{}\r\n", 408, "Request Timeout")] // The body stops arriving inside a chunk.
    public async Task A_body_that_breaks_off_or_breaks_HTTPs_framing_gets_the_gateways_4xx(string chunked, int status, string message)
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendWholeAsync(api.Client.BaseAddress!,
            $"POST /dummy HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunked}");

        AssertGatewayAnswer(answer, status, message);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A request whose line and header values come to <paramref name="padBytes"/> more than <see cref="FixedBytes"/>.</summary>
    private static string Head(int padBytes) => $"POST /dummy HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nX-Pad: {new string('p', padBytes)}\r\n";

    private static void AssertGatewayAnswer(RawAnswer answer, int status, string message)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/json", answer.Header("content-type"));
        Assert.False(string.IsNullOrEmpty(answer.Header(GatewayResponse.RequestIdHeader)));
        Assert.Equal(message, JsonDocument.Parse(answer.Body).RootElement.GetProperty("message").GetString());
    }
}
