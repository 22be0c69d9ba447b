using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Functions.Http;
using Functions.Runtime;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Runtime;

/// <summary>
/// A handler that opens its response stream answers in the Runtime API's response mode "streaming": chunked, each write
/// sent as it is made, an error after the first byte in Lambda's trailers, an HTTP response with its prelude. Against
/// the emulator (tools/RuntimeApi), a recording Runtime API and one on a bare socket that watches the chunks arrive.
/// </summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class ResponseStreamingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_streamed_response_is_posted_chunked_in_streaming_mode_with_its_content_type_and_the_error_trailers_declared()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "r-1" }, "{}"u8.ToArray());

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, async (_, context) =>
        {
            var stream = context.OpenResponseStream("application/x-ndjson");
            await stream.WriteAsync("{\"n\":1}\n"u8.ToArray(), context.CancellationToken);
            await stream.WriteAsync("{\"n\":2}\n"u8.ToArray(), context.CancellationToken);
            return "not sent"u8.ToArray();
        });
        var post = await api.NextPostAsync(Timeout);

        // Assert
        Assert.Equal("/2018-06-01/runtime/invocation/r-1/response", post.Path);
        Assert.Equal("streaming", post.Headers[ResponseStream.ResponseModeHeader]);
        Assert.Equal("chunked", post.Headers["Transfer-Encoding"]);
        Assert.Equal("application/x-ndjson", post.Headers["Content-Type"]);
        Assert.Equal($"{ResponseStream.ErrorTypeTrailer}, {ResponseStream.ErrorBodyTrailer}", post.Headers["Trailer"]);
        Assert.Equal("{\"n\":1}\n{\"n\":2}\n", Encoding.UTF8.GetString(post.Body));
        Assert.Empty(post.Trailers);
    }

    [Fact]
    public async Task Each_write_reaches_the_Runtime_API_while_the_handler_is_still_running()
    {
        // Arrange: a Runtime API on a bare socket that lets the handler go on only once it has read the first chunk.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var firstChunkSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = ServeOneStreamAsync(listener, firstChunkSeen);

        // Act
        await using var function = InProcessFunction.Start($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", async (_, context) =>
        {
            var stream = context.OpenResponseStream();
            await stream.WriteAsync("first line\n"u8.ToArray(), context.CancellationToken);
            await firstChunkSeen.Task.WaitAsync(Timeout);
            await stream.WriteAsync("second line\n"u8.ToArray(), context.CancellationToken);
            return [];
        });
        var received = await server.WaitAsync(Timeout);

        // Assert: the two writes are two chunks, the body ends with the last chunk and no trailer.
        Assert.Contains("Transfer-Encoding: chunked\r\n", received, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nb\r\nfirst line\n\r\nc\r\nsecond line\n\r\n0\r\n\r\n", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_that_throws_after_its_first_bytes_fails_the_invocation_through_the_trailers_with_its_error()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var invocation = Payloads.Invocation("{}"u8.ToArray());
        server.Channel("stream-throw").Enqueue(invocation);

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("stream-throw"), async (_, context) =>
        {
            var stream = context.OpenResponseStream();
            await stream.WriteAsync("partial"u8.ToArray(), context.CancellationToken);
            throw new InvalidOperationException("The export lost its table.");
        });
        var outcome = await invocation.Outcome.WaitAsync(Timeout);

        // Assert
        Assert.False(outcome.IsSuccess);
        Assert.Equal("Runtime.InvalidOperationException", outcome.ErrorType);
        using var report = JsonDocument.Parse(outcome.Payload);
        Assert.Equal("The export lost its table.", report.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", report.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task A_handler_that_throws_before_writing_anything_reports_through_error_as_a_buffered_one_does()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "r-2" }, "{}"u8.ToArray());

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, context) =>
        {
            _ = context.OpenResponseStream();
            throw new InvalidOperationException("Nothing to export.");
        });
        var post = await api.NextPostAsync(Timeout);

        // Assert
        Assert.Equal("/2018-06-01/runtime/invocation/r-2/error", post.Path);
        Assert.False(post.Headers.ContainsKey(ResponseStream.ResponseModeHeader));
        Assert.Contains("Nothing to export.", Encoding.UTF8.GetString(post.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_emulator_takes_a_streamed_response_as_the_invocation_s_payload_and_an_unwritten_stream_as_an_empty_one()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var written = Payloads.Invocation("""{"write":true}"""u8.ToArray());
        var unwritten = Payloads.Invocation("""{"write":false}"""u8.ToArray());
        server.Channel("stream").Enqueue(written);
        server.Channel("stream").Enqueue(unwritten);

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("stream"), (payload, context) =>
        {
            var stream = context.OpenResponseStream();
            if (JsonDocument.Parse(payload).RootElement.GetProperty("write").GetBoolean())
            {
                for (var line = 1; line <= 1000; line++)
                {
                    stream.Write(Encoding.UTF8.GetBytes($"{{\"line\":{line}}}\n"));
                }
            }
            return Task.FromResult(Array.Empty<byte>());
        });
        var outcomes = await Task.WhenAll(written.Outcome, unwritten.Outcome).WaitAsync(Timeout);

        // Assert
        Assert.All(outcomes, o => Assert.True(o.IsSuccess));
        var lines = Encoding.UTF8.GetString(outcomes[0].Payload).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1000, lines.Length);
        Assert.Equal("{\"line\":1000}", lines[^1]);
        Assert.Empty(outcomes[1].Payload);
    }

    [Fact]
    public async Task An_HTTP_response_streams_its_prelude_then_eight_NUL_bytes_then_the_body()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "r-3" }, "{}"u8.ToArray());

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, async (_, context) =>
        {
            var stream = HttpResponseStreaming.Open(context, 201, new() { ["content-type"] = "application/x-ndjson" }, ["session=1; Secure"]);
            await stream.WriteAsync("{\"id\":\"a\"}\n"u8.ToArray(), context.CancellationToken);
            return [];
        });
        var post = await api.NextPostAsync(Timeout);

        // Assert
        Assert.Equal(HttpResponseStreaming.ContentType, post.Headers["Content-Type"]);
        var body = post.Body.AsSpan();
        var delimiter = body.IndexOf(new byte[HttpResponseStreaming.DelimiterLength]);
        Assert.Equal("""{"statusCode":201,"headers":{"content-type":"application/x-ndjson"},"cookies":["session=1; Secure"]}""", Encoding.UTF8.GetString(body[..delimiter]));
        Assert.Equal("{\"id\":\"a\"}\n", Encoding.UTF8.GetString(body[(delimiter + HttpResponseStreaming.DelimiterLength)..]));
    }

    /// <summary>
    /// Answers one /next with an event, then reads the streamed POST byte by byte as it arrives: signals once the first
    /// chunk is in (while the handler waits for that), answers 202 after the last chunk; returns the POST as received.
    /// </summary>
    private static async Task<string> ServeOneStreamAsync(TcpListener listener, TaskCompletionSource firstChunkSeen)
    {
        using var socket = await listener.AcceptSocketAsync();
        await using var stream = new NetworkStream(socket);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        async Task ReadUntilAsync(string marker)
        {
            while (!received.ToString().Contains(marker, StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    throw new IOException($"The function closed the connection before sending '{marker}'.");
                }
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        await ReadUntilAsync("\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{RuntimeApiHeaders.RequestId}: r-9\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}"));
        received.Clear();
        await ReadUntilAsync("first line\n\r\n");
        firstChunkSeen.SetResult();
        await ReadUntilAsync("\r\n0\r\n\r\n");
        await stream.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}"u8.ToArray());
        return received.ToString();
    }
}
