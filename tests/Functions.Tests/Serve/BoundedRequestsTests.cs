using System.Net;
using System.Net.Sockets;
using System.Text;
using Functions.Tools.Serve;

namespace Functions.Tests.Serve;

/// <summary>
/// What serve holds for requests in flight: a body too large for any event is refused before it is read,
/// and past the in-flight bound a request gets 503 at once instead of waiting and holding memory. Real sockets, the
/// dummy function as real processes. The memory itself is measured by tests/load/serve-memory.sh, not asserted here.
/// </summary>
public sealed class BoundedRequestsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_body_declared_over_the_event_limit_is_refused_before_a_byte_of_it_is_sent()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, api.Client.BaseAddress!.Port);
        var stream = client.GetStream();
        var head = $"POST /dummy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {LocalApi.MaxBodyBytes + 1}\r\n\r\n";

        // Act: the headers only; the answer must not wait for the 6 MB that would follow.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = await ReadHeadAsync(stream).WaitAsync(Patience);

        // Assert
        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
        Assert.Contains("refused unread", api.Output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_over_the_event_limit_is_refused_while_it_streams()
    {
        // Arrange: no Content-Length, so the gateway only learns the size by reading.
        await using var api = await DummyApi.StartAsync();
        var body = new byte[LocalApi.MaxBodyBytes + 1024];
        using var content = new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = new("application/json");

        // Act
        using var response = await api.Client.PostAsync("/dummy", content);

        // Assert
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"message":"Request Entity Too Large"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Past_the_in_flight_bound_a_request_gets_503_at_once_and_passes_again_once_others_finish()
    {
        // Arrange: room for two requests; two sleeping functions take it (on the 30 s function: a busy machine must not
        // turn a 1.5 s sleep into a timeout).
        await using var api = await DummyApi.StartAsync(limits: new InFlightLimits(MaxRequests: 2, MaxBytes: InFlightLimits.Default.MaxBytes));
        var sleepers = Enumerable.Range(0, 2).Select(_ => api.PostAsync("/slow", """{"action":"sleep","ms":1500}""")).ToList();
        await Eventually.WaitUntilAsync(() => CountOf("START RequestId", api.Output.ToString()) == 2, Patience);

        // Act
        using var refused = await api.PostAsync("/dummy", """{"action":"echo"}""");
        foreach (var sleeper in sleepers)
        {
            using var slept = await sleeper;
            Assert.Equal(HttpStatusCode.OK, slept.StatusCode);
        }
        using var passed = await api.PostAsync("/dummy", """{"action":"echo"}""");

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("""{"message":"Service Unavailable"}""", await refused.Content.ReadAsStringAsync());
        Assert.True(refused.Headers.Contains("apigw-requestid"));
        Assert.Contains("At the in-flight bound (2 requests", api.Output.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal(3, CountOf("START RequestId", api.Output.ToString()));
    }

    [Fact]
    public async Task Past_the_byte_bound_a_large_body_gets_503_while_a_small_one_still_passes()
    {
        // Arrange: 1 MB of room; a sleeping request declares 600 KB of it.
        await using var api = await DummyApi.StartAsync(limits: new InFlightLimits(MaxRequests: 100, MaxBytes: 1024 * 1024));
        var pad = new string('x', 600 * 1024);
        var sleeper = api.PostAsync("/slow", $$"""{"action":"sleep","ms":1500,"pad":"{{pad}}"}""");
        await Eventually.WaitUntilAsync(() => CountOf("START RequestId", api.Output.ToString()) == 1, Patience);

        // Act
        using var large = await api.PostAsync("/dummy", $$"""{"action":"echo","pad":"{{pad}}"}""");
        using var small = await api.PostAsync("/dummy", """{"action":"echo"}""");
        using var slept = await sleeper;

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, large.StatusCode);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slept.StatusCode);
    }

    [Fact]
    public async Task A_request_that_can_have_no_body_takes_no_bytes_of_the_bound()
    {
        // Arrange: room for 1 MB, a sleeping request in it; a chunked body would reserve 6 MB, a bodiless one nothing.
        await using var api = await DummyApi.StartAsync(limits: new InFlightLimits(MaxRequests: 100, MaxBytes: 1024 * 1024));
        var sleeper = api.PostAsync("/slow", """{"action":"sleep","ms":1500}""");
        await Eventually.WaitUntilAsync(() => CountOf("START RequestId", api.Output.ToString()) == 1, Patience);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, api.Client.BaseAddress!.Port);

        // Act: no Content-Length, no chunking: HTTP/1.1 says there is no body.
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /dummy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        var answer = await ReadHeadAsync(client.GetStream()).WaitAsync(Patience);
        using var slept = await sleeper;

        // Assert: it reached the function (which refuses an empty event), not the bound.
        Assert.DoesNotContain(" 503 ", answer.Split("\r\n")[0], StringComparison.Ordinal);
        Assert.Equal(2, CountOf("START RequestId", api.Output.ToString()));
    }

    private static int CountOf(string needle, string text) =>
        (text.Length - text.Replace(needle, "", StringComparison.Ordinal).Length) / needle.Length;


    /// <summary>The status line and headers, up to the blank line.</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
        {
            head.Append((char)buffer[0]);
        }
        return head.ToString();
    }

    /// <summary>A body HttpClient cannot measure, so it is sent chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
