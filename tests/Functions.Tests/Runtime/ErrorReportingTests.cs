using System.Text.Json;
using Functions.Runtime;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Runtime;

/// <summary>How the runtime tells Lambda that a handler, the initialization or a response went wrong.</summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class ErrorReportingTests
{
    /// <summary>Bounds every wait on the loop, the socket or the handler.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_handler_exception_is_posted_to_the_error_endpoint_with_its_type()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "failing-request" }, Payloads.Json("{}"));

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (_, _) => Fail());
        var post = await api.NextPostAsync(Timeout);

        // Assert
        Assert.Equal("/2018-06-01/runtime/invocation/failing-request/error", post.Path);
        Assert.Equal("Runtime.InvalidOperationException", post.Headers[RuntimeApiHeaders.FunctionErrorType]);
        Assert.StartsWith("application/json", post.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal("The order 42 does not exist.", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", body.RootElement.GetProperty("errorType").GetString());
        var stackTrace = body.RootElement.GetProperty("stackTrace");
        Assert.Equal(JsonValueKind.Array, stackTrace.ValueKind);
        Assert.Contains(stackTrace.EnumerateArray(), frame => frame.GetString()!.Contains(nameof(Fail), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handler_exception_ends_the_invocation_as_an_error_and_the_loop_goes_on()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var failing = Payloads.Invocation(Payloads.Json("""{"fail":true}"""));
        var next = Payloads.Invocation(Payloads.Json("""{"fail":false}"""));
        server.Channel("errors").Enqueue(failing);
        server.Channel("errors").Enqueue(next);

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("errors"), (payload, _) =>
            Flag(payload, "fail") ? Fail() : Task.FromResult(payload));
        var failed = await failing.Outcome.WaitAsync(Timeout);
        var answered = await next.Outcome.WaitAsync(Timeout);

        // Assert
        Assert.False(failed.IsSuccess);
        Assert.Equal("Runtime.InvalidOperationException", failed.ErrorType);
        using var body = JsonDocument.Parse(failed.Payload);
        Assert.Equal("The order 42 does not exist.", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.True(answered.IsSuccess);
    }

    [Fact]
    public async Task A_failing_initialization_is_posted_to_init_error_and_the_run_ends_non_zero()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var channel = server.Channel("init");

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("init"),
            (FunctionStartup startup) => throw new InitializationException($"The environment variable {LambdaEnvironment.TableName} is not set."));
        var exitCode = await function.Exit.WaitAsync(Timeout);
        var initError = await channel.InitError.WaitAsync(Timeout);

        // Assert
        Assert.Equal(LambdaBootstrap.InitFailedExitCode, exitCode);
        Assert.NotEqual(0, exitCode);
        Assert.Equal("Runtime.InitializationException", initError.ErrorType);
        using var body = JsonDocument.Parse(initError.Payload);
        Assert.Equal("The environment variable TABLE_NAME is not set.", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InitializationException", body.RootElement.GetProperty("errorType").GetString());
        Assert.False(channel.FirstNext.IsCompleted, "A function that failed its init must not ask for an event.");
    }

    [Fact]
    public async Task A_response_over_six_megabytes_gets_413_and_ends_the_invocation_as_an_error()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var tooBig = Payloads.Invocation(Payloads.Json("""{"big":true}"""));
        var next = Payloads.Invocation(Payloads.Json("""{"big":false}"""));
        server.Channel("big").Enqueue(tooBig);
        server.Channel("big").Enqueue(next);

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("big"), (payload, _) =>
            Task.FromResult(Flag(payload, "big")
                ? Payloads.JsonString(RuntimeApiServer.MaxPayloadBytes + 1)
                : payload));
        var failed = await tooBig.Outcome.WaitAsync(Timeout);
        var answered = await next.Outcome.WaitAsync(Timeout);

        // Assert
        Assert.False(failed.IsSuccess);
        Assert.Equal("Function.ResponseSizeTooLarge", failed.ErrorType);
        Assert.True(answered.IsSuccess, "The loop serves the next event after a response that was too large.");
        Assert.False(function.Exit.IsCompleted);
    }

    [Fact]
    public async Task A_413_ends_the_invocation_without_an_error_report()
    {
        // Arrange: a Runtime API that refuses the first response with 413 and records what follows. Lambda has failed
        // the invocation at the 413; RIE answers a later /error with 403 InvalidStateTransition.
        await using var api = await FakeRuntimeApi.StartAsync(postStatus: path => path.Contains("/too-big/", StringComparison.Ordinal) ? 413 : 202);
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "too-big" }, Payloads.Json("{}"));
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "next-one" }, Payloads.Json("{}"));

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (_, _) => Task.FromResult(Payloads.Json("{}")));
        var refused = await api.NextPostAsync(Timeout);
        var following = await api.NextPostAsync(Timeout);

        // Assert
        Assert.Equal("/2018-06-01/runtime/invocation/too-big/response", refused.Path);
        Assert.Equal("/2018-06-01/runtime/invocation/next-one/response", following.Path);
    }

    private static bool Flag(byte[] payload, string name)
    {
        using var json = JsonDocument.Parse(payload);
        return json.RootElement.GetProperty(name).GetBoolean();
    }

    private static Task<byte[]> Fail() => throw new InvalidOperationException("The order 42 does not exist.");
}
