using System.Net.Sockets;
using System.Text;
using Functions.Tools.RuntimeApi.Http1;

namespace Functions.Tests.RuntimeApi.Http1;

/// <summary>The Runtime API's own HTTP/1.1 server, over real sockets, as any runtime's client may speak to it.</summary>
public sealed class Http1ListenerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _waiterCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Http1Listener _listener = null!;

    public Task InitializeAsync()
    {
        _listener = Http1Listener.Start(HandleOrWaitAsync);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    [Fact]
    public async Task Answers_requests_pipelined_on_one_connection_in_order()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act: two requests in one write, the second's body straight after the first's.
        await client.SendAsync("POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none" + "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\ntwo");
        var first = await client.ReadAnswerAsync();
        var second = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal((200, "POST /echo\none\n"), (first.Status, first.Body));
        Assert.Equal((200, "POST /echo\ntwo\n"), (second.Status, second.Body));
        Assert.Null(second.Header("Connection"));
    }

    [Fact]
    public async Task Holds_a_success_for_a_client_whose_next_request_waits_and_sends_both_together()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act: the next request is there before the first is answered, and waits for something else.
        await client.SendAsync("POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none" + "GET /later HTTP/1.1\r\n\r\n");
        var early = await client.ReceivesWithinAsync(TimeSpan.FromMilliseconds(300));
        _release.SetResult();
        var first = await client.ReadAnswerAsync();
        var second = await client.ReadAnswerAsync();

        // Assert
        Assert.False(early);
        Assert.Equal((200, "POST /echo\none\n"), (first.Status, first.Body));
        Assert.Equal((200, "later"), (second.Status, second.Body));
    }

    [Fact]
    public async Task Sends_a_held_refusal_at_once_when_the_next_request_starts_to_wait()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync("POST /refuse HTTP/1.1\r\nContent-Length: 0\r\n\r\n" + "GET /wait HTTP/1.1\r\n\r\n");
        var refused = await client.ReadAnswerAsync();

        // Assert: the client hears of the refusal while its next request still waits.
        Assert.Equal(400, refused.Status);
        Assert.False(_waiterCancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task Decodes_a_chunked_body_sent_in_pieces_and_keeps_its_trailers()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
        await Task.Delay(50);
        await client.SendAsync("lo\r\n7;ext=1\r\n, world\r\n0\r\nX-Error: none\r\n\r\n");
        var answer = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal(200, answer.Status);
        Assert.Equal("POST /echo\nhello, world\nX-Error=none", answer.Body);
    }

    [Fact]
    public async Task Tells_a_client_that_waits_for_100_continue_to_send_its_body()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act: the head alone; the body only once the server says to go on.
        await client.SendAsync("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        var interim = await client.ReadHeadAsync();
        await client.SendAsync("body");
        var answer = await client.ReadAnswerAsync();

        // Assert
        Assert.StartsWith("HTTP/1.1 100 Continue", interim, StringComparison.Ordinal);
        Assert.Equal((200, "POST /echo\nbody\n"), (answer.Status, answer.Body));
    }

    [Fact]
    public async Task Tells_a_pipelined_request_to_go_on_only_after_the_answer_held_for_the_one_before()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act: the first answer is held (the next head is here); the next request then waits for 100 Continue.
        await client.SendAsync("POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
            + "POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        var first = await client.ReadAnswerAsync();
        var interim = await client.ReadHeadAsync();
        await client.SendAsync("two");
        var second = await client.ReadAnswerAsync();

        // Assert: answers in the order of their requests.
        Assert.Equal((200, "POST /echo\none\n"), (first.Status, first.Body));
        Assert.StartsWith("HTTP/1.1 100 Continue", interim, StringComparison.Ordinal);
        Assert.Equal((200, "POST /echo\ntwo\n"), (second.Status, second.Body));
    }

    [Fact]
    public async Task Closes_the_connection_after_answering_without_the_body_a_client_held_back()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act: a handler that answers without reading: the client may never send the body, so nothing can follow it.
        await client.SendAsync("POST /ignore HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        var answer = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal(204, answer.Status);
        Assert.Equal("close", answer.Header("Connection"));
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Drains_a_body_the_handler_did_not_read_and_serves_the_next_request()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync("POST /ignore HTTP/1.1\r\nContent-Length: 5\r\n\r\nfirst" + "GET /echo HTTP/1.1\r\n\r\n");
        var ignored = await client.ReadAnswerAsync();
        var next = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal(204, ignored.Status);
        Assert.Equal((200, "GET /echo\n\n"), (next.Status, next.Body));
    }

    [Fact]
    public async Task Closes_the_connection_after_answering_a_client_that_asked_it_to()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync("GET /echo HTTP/1.1\r\nConnection: close\r\n\r\n");
        var answer = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal("close", answer.Header("Connection"));
        Assert.True(await client.IsClosedAsync());
    }

    [Theory]
    [InlineData("GET /echo\r\n\r\n", 400)]
    [InlineData("GET echo HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /echo HTTP/2.0\r\n\r\n", 505)]
    [InlineData("GET /echo HTTP/1.1\r\nNo colon here\r\n\r\n", 400)]
    [InlineData("POST /echo HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 400)]
    [InlineData("POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST /echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    public async Task Refuses_a_request_it_cannot_read_with_a_status_and_a_reason_then_closes(string request, int status)
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync(request);
        var answer = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal(status, answer.Status);
        Assert.Contains("\"errorType\":\"InvalidRequest\"", answer.Body, StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Refuses_a_head_over_64_KB_with_431()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync($"GET /echo HTTP/1.1\r\nX-Big: {new string('a', 70 * 1024)}\r\n\r\n");
        var answer = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal(431, answer.Status);
    }

    [Fact]
    public async Task Refuses_a_malformed_chunk_by_closing_the_connection()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");

        // Assert: the body cannot be framed, so nothing after it can be either.
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Answers_500_naming_the_failure_when_a_handler_throws()
    {
        // Arrange
        using var client = await ConnectAsync();

        // Act
        await client.SendAsync("GET /throw HTTP/1.1\r\n\r\n");
        var answer = await client.ReadAnswerAsync();

        // Assert
        Assert.Equal(500, answer.Status);
        Assert.Contains("the handler broke", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancels_a_waiting_handler_when_its_client_leaves()
    {
        // Arrange
        var client = await ConnectAsync();
        await client.SendAsync("GET /wait HTTP/1.1\r\n\r\n");
        await Task.Delay(100);

        // Act
        client.Dispose();

        // Assert
        Assert.True(await _waiterCancelled.Task.WaitAsync(Patience));
    }

    private static async Task HandleAsync(Http1Request request, Http1Connection connection)
    {
        switch (request.Path)
        {
            case "/echo":
                var body = new StreamReader(request.Body, Encoding.UTF8);
                var text = await body.ReadToEndAsync();
                var trailer = request.Trailer("X-Error") is { } error ? $"X-Error={error}" : "";
                await connection.AnswerAsync(200, Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n{text}\n{trailer}"), "text/plain");
                break;
            case "/refuse":
                await connection.AnswerAsync(400, "{}"u8.ToArray());
                break;
            case "/ignore":
                await connection.AnswerAsync(204, ReadOnlyMemory<byte>.Empty);
                break;
            case "/throw":
                throw new InvalidOperationException("the handler broke");
            default:
                throw new InvalidOperationException($"No test route {request.Path}.");
        }
    }

    private Task HandleOrWaitAsync(Http1Request request, Http1Connection connection) => request.Path switch
    {
        "/wait" => WaitAsync(connection),
        "/later" => LaterAsync(connection),
        _ => HandleAsync(request, connection),
    };

    private async Task LaterAsync(Http1Connection connection)
    {
        await connection.WaitingAsync();
        await _release.Task.WaitAsync(Patience);
        await connection.AnswerAsync(200, "later"u8.ToArray(), "text/plain");
    }

    private async Task WaitAsync(Http1Connection connection)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, await connection.WaitingAsync());
        }
        catch (OperationCanceledException)
        {
            _waiterCancelled.TrySetResult(true);
        }
    }

    private async Task<RawClient> ConnectAsync()
    {
        var endpoint = _listener.HostAndPort.Split(':');
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint[0], int.Parse(endpoint[1], System.Globalization.CultureInfo.InvariantCulture)).WaitAsync(Patience);
        return new RawClient(tcp);
    }

    /// <summary>A client writing bytes as given and reading answers framed by their Content-Length.</summary>
    private sealed class RawClient(TcpClient tcp) : IDisposable
    {
        private readonly NetworkStream _stream = tcp.GetStream();
        private readonly List<byte> _pending = [];

        public async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask().WaitAsync(Patience);

        public async Task<string> ReadHeadAsync()
        {
            int end;
            while ((end = IndexOfBlankLine()) < 0)
            {
                Assert.True(await FillAsync(), "The server closed before a whole response head.");
            }
            var head = Encoding.ASCII.GetString([.. _pending[..end]]);
            _pending.RemoveRange(0, end + 4);
            return head;
        }

        public async Task<RawAnswer> ReadAnswerAsync()
        {
            var head = await ReadHeadAsync();
            var parsed = RawAnswer.Parse(head + "\r\n\r\n");
            var length = int.Parse(parsed.Header("Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            while (_pending.Count < length)
            {
                Assert.True(await FillAsync(), "The server closed before the whole body.");
            }
            var body = Encoding.UTF8.GetString([.. _pending[..length]]);
            _pending.RemoveRange(0, length);
            return parsed with { Body = body };
        }

        /// <summary>Whether any byte arrives within <paramref name="wait"/> (kept for the next read).</summary>
        public async Task<bool> ReceivesWithinAsync(TimeSpan wait)
        {
            var buffer = new byte[16 * 1024];
            using var quiet = new CancellationTokenSource(wait);
            try
            {
                var read = await _stream.ReadAsync(buffer, quiet.Token);
                _pending.AddRange(buffer[..read]);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>Whether the server ends the connection (nothing more comes, or it resets) within the patience.</summary>
        public async Task<bool> IsClosedAsync()
        {
            try
            {
                return !await FillAsync();
            }
            catch (IOException)
            {
                return true;
            }
        }

        public void Dispose() => tcp.Dispose();

        private async Task<bool> FillAsync()
        {
            var buffer = new byte[16 * 1024];
            var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(Patience);
            _pending.AddRange(buffer[..read]);
            return read > 0;
        }

        private int IndexOfBlankLine()
        {
            for (var i = 0; i + 3 < _pending.Count; i++)
            {
                if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n')
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
