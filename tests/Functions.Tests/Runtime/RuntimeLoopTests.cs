using Functions.Tools.Hosting;
using System.Diagnostics;
using System.Text;
using Functions.Runtime;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Runtime;

/// <summary>The loop itself: event after event, payloads up to Lambda's limit, and when it must give up.</summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class RuntimeLoopTests
{
    /// <summary>Bounds every wait on the loop, the socket or the handler.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>"Promptly": a broken environment must not keep the process alive (Runtime API docs, "Errors").</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task The_loop_serves_several_invocations_in_a_row()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var invocations = Enumerable.Range(1, 3).Select(n => Payloads.Invocation(Payloads.Json($$"""{"n":{{n}}}"""))).ToList();
        invocations.ForEach(server.Channel("loop").Enqueue);
        var seen = new List<string>();

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("loop"), (payload, context) =>
        {
            lock (seen)
            {
                seen.Add(context.RequestId);
            }
            return Task.FromResult(Encoding.UTF8.GetBytes($$"""{"echo":{{Encoding.UTF8.GetString(payload)}}}"""));
        });
        var outcomes = await Task.WhenAll(invocations.Select(i => i.Outcome)).WaitAsync(Timeout);

        // Assert
        Assert.All(outcomes, outcome => Assert.True(outcome.IsSuccess));
        Assert.Equal(["""{"echo":{"n":1}}""", """{"echo":{"n":2}}""", """{"echo":{"n":3}}"""], outcomes.Select(o => Encoding.UTF8.GetString(o.Payload)));
        Assert.Equal(invocations.Select(i => i.RequestId), seen);
    }

    [Fact]
    public async Task A_six_megabyte_event_and_a_six_megabyte_response_pass()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var payload = Payloads.JsonString(Payloads.AlmostSixMegabytes);
        var invocation = Payloads.Invocation(payload);
        server.Channel("big").Enqueue(invocation);
        var received = 0;

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("big"), (@event, _) =>
        {
            received = @event.Length;
            return Task.FromResult(@event);
        });
        var outcome = await invocation.Outcome.WaitAsync(Timeout);

        // Assert
        Assert.True(outcome.IsSuccess, outcome.ErrorType);
        Assert.Equal(Payloads.AlmostSixMegabytes, received);
        Assert.Equal(payload, outcome.Payload);
    }

    [Fact]
    public async Task A_response_of_exactly_six_megabytes_passes()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        server.Channel("limit").Enqueue(invocation);

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("limit"), (_, _) =>
            Task.FromResult(Payloads.JsonString(RuntimeApiServer.MaxPayloadBytes)));
        var outcome = await invocation.Outcome.WaitAsync(Timeout);

        // Assert
        Assert.True(outcome.IsSuccess, outcome.ErrorType);
        Assert.Equal(RuntimeApiServer.MaxPayloadBytes, outcome.Payload.Length);
    }

    [Fact]
    public async Task A_500_from_next_ends_the_run_promptly_with_a_non_zero_code()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(500, new Dictionary<string, string>(), Payloads.Json("""{"errorType":"ServiceException","errorMessage":"broken"}"""));
        var handled = false;
        var clock = Stopwatch.StartNew();

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) =>
        {
            handled = true;
            return Task.FromResult(payload);
        });
        var exitCode = await function.Exit.WaitAsync(Timeout);

        // Assert
        Assert.Equal(LambdaBootstrap.RuntimeApiFailedExitCode, exitCode);
        Assert.True(clock.Elapsed < Promptly, $"The run took {clock.Elapsed} to give up.");
        Assert.False(handled);
        Assert.Contains("500", function.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_500_on_a_response_ends_the_run_with_a_non_zero_code()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync(postStatus: _ => 500);
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "doomed" }, Payloads.Json("{}"));

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) => Task.FromResult(payload));
        var exitCode = await function.Exit.WaitAsync(Timeout);

        // Assert
        Assert.Equal(LambdaBootstrap.RuntimeApiFailedExitCode, exitCode);
    }

    [Fact]
    public async Task An_event_without_a_request_id_ends_the_run_with_a_non_zero_code()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.DeadlineMs] = "1" }, Payloads.Json("{}"));
        var handled = false;

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, _) =>
        {
            handled = true;
            return Task.FromResult(payload);
        });
        var exitCode = await function.Exit.WaitAsync(Timeout);

        // Assert
        Assert.Equal(LambdaBootstrap.RuntimeApiFailedExitCode, exitCode);
        Assert.False(handled);
    }

    [Fact]
    public async Task An_unreachable_runtime_api_ends_the_run_with_a_non_zero_code()
    {
        // Arrange: a port that was just free, so nothing listens on it.
        var port = LoopbackPort.Free();

        // Act
        await using var function = InProcessFunction.Start($"127.0.0.1:{port}", (payload, _) => Task.FromResult(payload));
        var exitCode = await function.Exit.WaitAsync(Timeout);

        // Assert
        Assert.Equal(LambdaBootstrap.RuntimeApiFailedExitCode, exitCode);
    }

    [Fact]
    public async Task Stopping_the_loop_while_it_waits_for_an_event_ends_the_run_with_zero()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var function = InProcessFunction.Start(server.RuntimeApiFor("idle"), (payload, _) => Task.FromResult(payload));
        await server.Channel("idle").FirstNext.WaitAsync(Timeout);

        // Act
        await function.DisposeAsync();

        // Assert
        Assert.Equal(0, await function.Exit);
    }
}
