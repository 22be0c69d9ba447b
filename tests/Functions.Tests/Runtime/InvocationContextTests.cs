using System.Globalization;
using Functions.Logging;
using Functions.Runtime;
using Functions.Tools.RuntimeApi;
using Microsoft.Extensions.Time.Testing;

namespace Functions.Tests.Runtime;

/// <summary>What a handler learns about its invocation: the /next headers and Lambda's environment variables.</summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class InvocationContextTests
{
    /// <summary>Bounds every wait on the loop, the socket or the handler.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Next_passes_every_invocation_header_to_the_context()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        var deadlineMs = deadline.ToUnixTimeMilliseconds();
        api.AnswerNext(200, new Dictionary<string, string>
        {
            [RuntimeApiHeaders.RequestId] = "4d7c1e2a-request",
            [RuntimeApiHeaders.DeadlineMs] = deadlineMs.ToString(CultureInfo.InvariantCulture),
            [RuntimeApiHeaders.InvokedFunctionArn] = Payloads.FunctionArn + ":live",
            [RuntimeApiHeaders.TraceId] = Payloads.TraceId,
            [RuntimeApiHeaders.ClientContext] = """{"client":{"installation_id":"abc"},"custom":{"k":"v"}}""",
            [RuntimeApiHeaders.CognitoIdentity] = """{"cognitoIdentityId":"us-east-1:42","cognitoIdentityPoolId":"us-east-1:pool"}""",
        }, Payloads.Json("""{"hello":"world"}"""));
        var seen = new TaskCompletionSource<(ContextSnapshot Context, string? TraceVariable, byte[] Payload)>();

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (payload, context) =>
        {
            seen.TrySetResult((ContextSnapshot.Of(context), Environment.GetEnvironmentVariable(LambdaEnvironment.TraceId), payload));
            return Task.FromResult(Payloads.Json("{}"));
        });
        var (snapshot, traceVariable, received) = await seen.Task.WaitAsync(Timeout);

        // Assert
        Assert.Equal("4d7c1e2a-request", snapshot.RequestId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs), snapshot.Deadline);
        Assert.InRange(snapshot.RemainingTime, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.Equal(Payloads.FunctionArn + ":live", snapshot.InvokedFunctionArn);
        Assert.Equal(Payloads.TraceId, snapshot.TraceId);
        Assert.Equal(Payloads.TraceId, traceVariable);
        Assert.Equal("""{"client":{"installation_id":"abc"},"custom":{"k":"v"}}""", snapshot.ClientContext);
        Assert.Equal("""{"cognitoIdentityId":"us-east-1:42","cognitoIdentityPoolId":"us-east-1:pool"}""", snapshot.CognitoIdentity);
        Assert.Equal("""{"hello":"world"}""", System.Text.Encoding.UTF8.GetString(received));
    }

    [Fact]
    public async Task Lambda_environment_variables_reach_the_context()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        server.Channel("env").Enqueue(invocation);
        var environment = new Dictionary<string, string>
        {
            [LambdaEnvironment.FunctionName] = "items-create",
            [LambdaEnvironment.FunctionVersion] = "7",
            [LambdaEnvironment.FunctionMemorySize] = "512",
            [LambdaEnvironment.LogGroupName] = "/aws/lambda/items-create",
            [LambdaEnvironment.LogStreamName] = "2025/01/02/[7]0123456789abcdef",
        };
        var seen = new TaskCompletionSource<ContextSnapshot>();

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("env"), (_, context) =>
        {
            seen.TrySetResult(ContextSnapshot.Of(context));
            return Task.FromResult(Payloads.Json("{}"));
        }, environment);
        var snapshot = await seen.Task.WaitAsync(Timeout);

        // Assert
        Assert.Equal("items-create", snapshot.FunctionName);
        Assert.Equal("7", snapshot.FunctionVersion);
        Assert.Equal(512, snapshot.MemoryLimitInMB);
        Assert.Equal("/aws/lambda/items-create", snapshot.LogGroupName);
        Assert.Equal("2025/01/02/[7]0123456789abcdef", snapshot.LogStreamName);
    }

    [Fact]
    public async Task The_emulator_deadline_is_the_timeout_counted_from_dispatch()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var invocation = Payloads.Invocation(Payloads.Json("{}"), TimeSpan.FromSeconds(20));
        server.Channel("deadline").Enqueue(invocation);
        var seen = new TaskCompletionSource<ContextSnapshot>();

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("deadline"), (_, context) =>
        {
            seen.TrySetResult(ContextSnapshot.Of(context));
            return Task.FromResult(Payloads.Json("{}"));
        });
        var snapshot = await seen.Task.WaitAsync(Timeout);

        // Assert
        Assert.Equal(invocation.RequestId, snapshot.RequestId);
        Assert.Equal(Payloads.FunctionArn, snapshot.InvokedFunctionArn);
        Assert.Equal(Payloads.TraceId, snapshot.TraceId);
        // The header carries whole milliseconds: the deadline is the dispatch time plus the timeout, truncated.
        Assert.InRange(snapshot.Deadline, invocation.DispatchedAt!.Value.AddSeconds(20).AddMilliseconds(-1), invocation.DispatchedAt.Value.AddSeconds(20));
        Assert.InRange(snapshot.RemainingTime, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void The_cancellation_token_fires_one_margin_before_the_deadline()
    {
        // Arrange: a fake clock, so the test states when the token fires rather than racing a busy machine.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", CultureInfo.InvariantCulture));
        var deadline = clock.GetUtcNow().AddSeconds(3);
        using var context = ContextFor(deadline, clock);

        // Act
        clock.Advance(TimeSpan.FromSeconds(3) - InvocationContext.DeadlineMargin - TimeSpan.FromMilliseconds(1));
        var firedEarly = context.CancellationToken.IsCancellationRequested;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        // Assert
        Assert.False(firedEarly, "The token fired before the margin began.");
        Assert.True(context.CancellationToken.IsCancellationRequested, "The token had not fired one margin before the deadline.");
    }

    [Fact]
    public void A_short_invocation_keeps_four_fifths_of_its_time_before_the_token_fires()
    {
        // Arrange
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", CultureInfo.InvariantCulture));
        using var context = ContextFor(clock.GetUtcNow().AddSeconds(1), clock);

        // Act
        clock.Advance(TimeSpan.FromMilliseconds(799));
        var firedEarly = context.CancellationToken.IsCancellationRequested;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        // Assert
        Assert.False(firedEarly, "The token fired before four fifths of a 1 s invocation had passed.");
        Assert.True(context.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_function_whose_token_fired_still_answers_its_invocation()
    {
        // Arrange
        await using var server = await RuntimeApiServer.StartAsync();
        var invocation = Payloads.Invocation(Payloads.Json("{}"), TimeSpan.FromSeconds(3));
        server.Channel("deadline").Enqueue(invocation);
        var fired = new TaskCompletionSource();

        // Act
        await using var function = InProcessFunction.Start(server.RuntimeApiFor("deadline"), async (_, context) =>
        {
            await using (context.CancellationToken.Register(() => fired.TrySetResult()))
            {
                await fired.Task.WaitAsync(Timeout);
            }
            return Payloads.Json("""{"cut":"short"}""");
        });
        var outcome = await invocation.Outcome.WaitAsync(Timeout);

        // Assert
        Assert.True(fired.Task.IsCompletedSuccessfully, "The token never fired before the invocation ended.");
        Assert.True(outcome.IsSuccess, "The function could not answer after its token fired.");
    }

    private static InvocationContext ContextFor(DateTimeOffset deadline, TimeProvider clock) => new(
        new Invocation("deadline-request", deadline, Payloads.FunctionArn, TraceId: null, ClientContext: null, CognitoIdentity: null, []),
        LambdaEnvironment.From(new Dictionary<string, string>()),
        new LambdaLogger(TextWriter.Null, json: false, LogLevel.Info),
        clock);

    [Fact]
    public async Task An_unreadable_deadline_header_leaves_the_invocation_without_a_deadline()
    {
        // Arrange
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(200, new Dictionary<string, string>
        {
            [RuntimeApiHeaders.RequestId] = "no-deadline",
            [RuntimeApiHeaders.DeadlineMs] = "soon",
        }, Payloads.Json("{}"));
        var seen = new TaskCompletionSource<(ContextSnapshot Context, bool IsCanceled)>();

        // Act
        await using var function = InProcessFunction.Start(api.HostAndPort, (_, context) =>
        {
            seen.TrySetResult((ContextSnapshot.Of(context), context.CancellationToken.IsCancellationRequested));
            return Task.FromResult(Payloads.Json("{}"));
        });
        var (snapshot, isCanceled) = await seen.Task.WaitAsync(Timeout);

        // Assert
        Assert.Equal(DateTimeOffset.MaxValue, snapshot.Deadline);
        Assert.False(isCanceled);
        Assert.Null(snapshot.ClientContext);
        Assert.Null(snapshot.CognitoIdentity);
    }

    /// <summary>The context as the handler saw it: the context itself is disposed once the invocation ends.</summary>
    private sealed record ContextSnapshot(
        string RequestId,
        DateTimeOffset Deadline,
        TimeSpan RemainingTime,
        string? InvokedFunctionArn,
        string? TraceId,
        string? ClientContext,
        string? CognitoIdentity,
        string? FunctionName,
        string? FunctionVersion,
        int MemoryLimitInMB,
        string? LogGroupName,
        string? LogStreamName)
    {
        public static ContextSnapshot Of(InvocationContext context) => new(
            context.RequestId,
            context.Deadline,
            context.RemainingTime,
            context.InvokedFunctionArn,
            context.TraceId,
            context.ClientContext,
            context.CognitoIdentity,
            context.FunctionName,
            context.FunctionVersion,
            context.MemoryLimitInMB,
            context.LogGroupName,
            context.LogStreamName);
    }
}
