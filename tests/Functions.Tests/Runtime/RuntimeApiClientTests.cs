using Functions.Runtime;

namespace Functions.Tests.Runtime;

/// <summary>
/// The runtime's own HTTP/1.1 to the Runtime API: whatever framing a server chooses (chunked with trailers, a closed
/// kept-alive connection, Connection: close), events arrive whole and answers go out; what is not HTTP ends the run
/// with exit code 2 and one line; the first /next says where the init went.
/// </summary>
public sealed class RuntimeApiClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_event_sent_chunked_with_extensions_and_trailers_arrives_whole()
    {
        // Arrange
        var nexts = 0;
        await using var api = new ScriptedRuntimeApi(request => request.IsNext
            ? Interlocked.Increment(ref nexts) == 1
                ? ScriptedReply.Text("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3;ext=1\r\n42}\r\n0\r\nX-Trailer: t\r\n\r\n")
                : new ScriptedReply([])
            : ScriptedReply.Accepted());

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) => Task.FromResult(payload));
        await Eventually.WaitUntilAsync(() => api.Requests.Any(r => r.Method == "POST"), Timeout);
        var post = api.Requests.First(r => r.Method == "POST");

        // Assert
        Assert.Equal("/2018-06-01/runtime/invocation/r1/response", post.Path);
        Assert.Equal("{\"a\":42}", System.Text.Encoding.UTF8.GetString(post.Body));
    }

    [Fact]
    public async Task Asks_for_the_next_event_behind_its_answer_without_waiting_for_the_answer_to_be_accepted()
    {
        // Arrange: a Runtime API that takes the answer and never says so.
        var nexts = 0;
        await using var api = new ScriptedRuntimeApi(request => request.IsNext && Interlocked.Increment(ref nexts) == 1
            ? ScriptedReply.Event("r1", "{}")
            : new ScriptedReply([]));

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) => Task.FromResult(payload));
        await Eventually.WaitUntilAsync(() => api.Requests.Count >= 3, Timeout);

        // Assert: the second /next came on the same connection, sent with the answer.
        var requests = api.Requests.ToList();
        Assert.Equal(["GET /2018-06-01/runtime/invocation/next", "POST /2018-06-01/runtime/invocation/r1/response", "GET /2018-06-01/runtime/invocation/next"],
            requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(requests, r => Assert.Equal(1, r.Connection));
    }

    [Fact]
    public async Task A_kept_alive_connection_the_server_closed_is_replaced_and_the_request_sent_again()
    {
        // Arrange: each answer to /response closes its connection without saying so.
        var nexts = 0;
        await using var api = new ScriptedRuntimeApi(request => request.IsNext
            ? Interlocked.Increment(ref nexts) <= 2 ? ScriptedReply.Event($"r{nexts}", "{}") : new ScriptedReply([])
            : ScriptedReply.Accepted(close: true));

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) => Task.FromResult(payload));
        await Eventually.WaitUntilAsync(() => api.Requests.Count(r => r.Method == "POST") == 2, Timeout);

        // Assert: the second event was asked for on a new connection, and the loop is still running.
        var requests = api.Requests.ToList();
        Assert.Equal([1, 1, 2, 2], requests.Take(4).Select(r => r.Connection));
        Assert.False(function.Exit.IsCompleted);
    }

    [Fact]
    public async Task An_answer_with_Connection_close_moves_the_next_request_to_a_new_connection()
    {
        // Arrange
        var nexts = 0;
        await using var api = new ScriptedRuntimeApi(request => request.IsNext
            ? Interlocked.Increment(ref nexts) <= 2 ? ScriptedReply.Event($"r{nexts}", "{}", "Connection: close\r\n", close: true) : new ScriptedReply([])
            : ScriptedReply.Accepted());

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) => Task.FromResult(payload));
        await Eventually.WaitUntilAsync(() => api.Requests.Count(r => r.Method == "POST") == 2, Timeout);

        // Assert: each /next on a connection of its own, each /response on a new one after it.
        Assert.Equal([1, 2, 2, 3], api.Requests.Take(4).Select(r => r.Connection));
    }

    [Fact]
    public async Task A_Runtime_API_that_does_not_speak_HTTP_ends_the_run_with_exit_code_2_and_one_line()
    {
        // Arrange
        await using var api = new ScriptedRuntimeApi(_ => ScriptedReply.Text("SSH-2.0-OpenSSH_9.2\r\n\r\n", close: true));

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) => Task.FromResult(payload));
        var exitCode = await function.Exit.WaitAsync(Timeout);

        // Assert
        Assert.Equal(LambdaBootstrap.RuntimeApiFailedExitCode, exitCode);
        var log = function.Log.ToString();
        Assert.Contains("not HTTP/1.x ('SSH-2.0-OpenSSH_9.2')", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_next_says_when_Main_began_and_init_ended_and_later_ones_do_not()
    {
        // Arrange
        var nexts = 0;
        await using var api = new ScriptedRuntimeApi(request => request.IsNext
            ? Interlocked.Increment(ref nexts) <= 1 ? ScriptedReply.Event("r1", "{}") : new ScriptedReply([])
            : ScriptedReply.Accepted());

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) => Task.FromResult(payload));
        await Eventually.WaitUntilAsync(() => api.Requests.Count(r => r.IsNext) == 2, Timeout);

        // Assert
        var (first, second) = (api.Requests.First(r => r.IsNext), api.Requests.Last(r => r.IsNext));
        var startup = StartupTimes.Parse(first.Headers[RuntimeApiHeaders.Startup]);
        Assert.NotNull(startup);
        Assert.True(startup.InitializedTimestamp >= startup.MainTimestamp);
        Assert.False(second.Headers.ContainsKey(RuntimeApiHeaders.Startup));
    }
}
