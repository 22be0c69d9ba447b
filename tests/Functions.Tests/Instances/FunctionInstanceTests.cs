using System.Text.Json;
using System.Text.RegularExpressions;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Instances;

/// <summary>A real function process under the emulator, played by DummyFunction: each event says what it does.</summary>
public sealed class FunctionInstanceTests
{
    /// <summary>Bounds waiting for a killed or crashed process to be gone.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_event_makes_the_round_trip_through_a_function_process()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();
        const string Event = """{"action":"echo","order":{"id":42,"items":["a","b"]}}""";

        // Act
        var report = await host.InvokeAsync(Event);

        // Assert
        Assert.True(report.Outcome.IsSuccess, report.Outcome.ErrorType);
        Assert.Equal(Event, System.Text.Encoding.UTF8.GetString(report.Outcome.Payload));
        Assert.False(host.Instance.HasExited);
    }

    [Fact]
    public async Task The_report_line_has_Lambda_format_with_init_duration_on_the_first_invocation_only()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();
        var format = new Regex(
            @"^REPORT RequestId: (?<id>[0-9a-f-]{36})\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: (?<max>\d+) MB(?<init>\tInit Duration: \d+\.\d{2} ms)?$",
            RegexOptions.None,
            TimeSpan.FromSeconds(1));

        // Act
        var cold = await host.InvokeAsync("""{"action":"echo"}""");
        var warm = await host.InvokeAsync("""{"action":"echo"}""");

        // Assert
        var coldLine = format.Match(cold.ReportLine);
        var warmLine = format.Match(warm.ReportLine);
        Assert.True(coldLine.Success, cold.ReportLine);
        Assert.True(warmLine.Success, warm.ReportLine);
        Assert.Equal(cold.RequestId, coldLine.Groups["id"].Value);
        Assert.True(coldLine.Groups["init"].Success, "The first invocation reports its Init Duration.");
        Assert.False(warmLine.Groups["init"].Success, "A warm invocation has no Init Duration.");
        Assert.NotNull(cold.InitDurationMs);
        Assert.Null(warm.InitDurationMs);
        Assert.True(cold.MaxMemoryUsedMb > 0, cold.ReportLine);
        Assert.True(int.Parse(warmLine.Groups["max"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, warm.ReportLine);
        Assert.Equal($"START RequestId: {cold.RequestId} Version: $LATEST", cold.StartLine);
        Assert.Equal($"END RequestId: {cold.RequestId}", cold.EndLine);
    }

    [Fact]
    public async Task A_cold_invocation_of_a_function_on_the_toolkit_says_where_its_init_went_and_a_warm_one_does_not()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var cold = await host.InvokeAsync("""{"action":"echo"}""");
        var warm = await host.InvokeAsync("""{"action":"echo"}""");

        // Assert: three phases, none negative, adding up to the Init Duration (two clocks read apart: within a millisecond).
        var phases = Assert.IsType<global::Functions.Tools.Instances.InitPhases>(cold.InitPhases);
        Assert.All([phases.RuntimeStartMs, phases.InitCodeMs, phases.FirstRequestMs], ms => Assert.InRange(ms, 0, 60_000));
        Assert.InRange(phases.RuntimeStartMs + phases.InitCodeMs + phases.FirstRequestMs, cold.InitDurationMs!.Value - 1, cold.InitDurationMs.Value + 1);
        Assert.Null(warm.InitPhases);
    }

    [Fact]
    public async Task A_thrown_exception_is_a_function_error_with_the_error_json()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync("""{"action":"throw"}""");

        // Assert
        Assert.Equal(InvocationStatus.FunctionError, report.Outcome.Status);
        Assert.Equal("Runtime.InvalidOperationException", report.Outcome.ErrorType);
        using var error = JsonDocument.Parse(report.Outcome.Payload);
        Assert.Equal("The dummy function throws on purpose.", error.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", error.RootElement.GetProperty("errorType").GetString());
        Assert.NotEmpty(error.RootElement.GetProperty("stackTrace").EnumerateArray());
        Assert.False(host.Instance.HasExited, "An error ends the invocation, not the environment.");
    }

    [Fact]
    public async Task Sleeping_past_the_timeout_times_out_and_kills_the_process()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync(timeout: TimeSpan.FromSeconds(1));

        // Act
        var report = await host.InvokeAsync("""{"action":"sleep","ms":30000}""");

        // Assert
        Assert.Equal("Sandbox.Timedout", report.Outcome.ErrorType);
        using var error = JsonDocument.Parse(report.Outcome.Payload);
        Assert.Contains("Task timed out after 1.00 seconds", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.InRange(report.DurationMs, 900, 5000);
        Assert.True(await host.HasExitedWithinAsync(ExitTimeout), "The timed-out process is killed.");
    }

    [Fact]
    public async Task A_sleep_within_the_timeout_answers()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync(timeout: TimeSpan.FromSeconds(5));

        // Act
        var report = await host.InvokeAsync("""{"action":"sleep","ms":200}""");

        // Assert
        Assert.True(report.Outcome.IsSuccess, report.Outcome.ErrorType);
        Assert.Equal("""{"slept":200}""", System.Text.Encoding.UTF8.GetString(report.Outcome.Payload));
        Assert.True(report.DurationMs >= 190, $"Duration {report.DurationMs} ms for a 200 ms sleep.");
    }

    [Fact]
    public async Task Exiting_mid_invocation_is_a_runtime_exit_error()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync("""{"action":"exit","code":3}""");

        // Assert
        Assert.Equal("Runtime.ExitError", report.Outcome.ErrorType);
        using var error = JsonDocument.Parse(report.Outcome.Payload);
        Assert.Contains("exit status 3", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.True(host.Instance.HasExited);
    }

    [Fact]
    public async Task A_failing_initialization_is_the_outcome_of_the_first_invocation()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync(environment: new Dictionary<string, string> { ["DUMMY_FAIL_INIT"] = "1" });

        // Act
        var report = await host.InvokeAsync("""{"action":"echo"}""");

        // Assert
        Assert.Equal("Runtime.InitializationException", report.Outcome.ErrorType);
        using var error = JsonDocument.Parse(report.Outcome.Payload);
        Assert.Contains("DUMMY_FAIL_INIT", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.True(report.Cold);
        Assert.NotNull(report.InitDurationMs); // Lambda bills and reports the init that failed, too.
        Assert.EndsWith("\tStatus: error\tError Type: Runtime.InitializationException", report.ReportLine, StringComparison.Ordinal);
        Assert.True(await host.HasExitedWithinAsync(ExitTimeout), "A function whose init failed exits.");
    }

    [Fact]
    public async Task A_streamed_response_reports_its_time_to_first_byte_and_a_buffered_one_none()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act: two lines 600 ms apart, then an ordinary answer
        var streamed = await host.InvokeAsync("""{"action":"stream","lines":2,"pauseMs":600}""");
        var buffered = await host.InvokeAsync("""{"action":"echo"}""");

        // Assert
        Assert.True(streamed.Outcome.IsSuccess, streamed.Outcome.ErrorType);
        Assert.NotNull(streamed.FirstByteMs);
        // The first line went out before the pause; the invocation ended after it.
        Assert.True(streamed.FirstByteMs < streamed.DurationMs - 500, $"first byte {streamed.FirstByteMs} ms, total {streamed.DurationMs} ms");
        Assert.Null(buffered.FirstByteMs);
    }

    [Fact]
    public async Task A_six_megabyte_response_passes()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();
        const int Bytes = RuntimeApiServer.MaxPayloadBytes - 1024;

        // Act
        var report = await host.InvokeAsync($$"""{"action":"big","bytes":{{Bytes}}}""");

        // Assert
        Assert.True(report.Outcome.IsSuccess, report.Outcome.ErrorType);
        Assert.Equal(Bytes, report.Outcome.Payload.Length);
    }

    [Fact]
    public async Task A_response_over_six_megabytes_is_a_function_error()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync($$"""{"action":"big","bytes":{{RuntimeApiServer.MaxPayloadBytes + 1}}}""");
        var next = await host.InvokeAsync("""{"action":"echo"}""");

        // Assert
        Assert.Equal("Function.ResponseSizeTooLarge", report.Outcome.ErrorType);
        Assert.True(next.Outcome.IsSuccess, "The instance serves the next event.");
    }

    [Fact]
    public async Task The_function_sees_its_context_and_only_Lambda_environment()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync(
            timeout: TimeSpan.FromSeconds(10),
            environment: new Dictionary<string, string> { ["DUMMY_SETTING"] = "on" });

        // Act
        var report = await host.InvokeAsync("""{"action":"env"}""");

        // Assert
        Assert.True(report.Outcome.IsSuccess, report.Outcome.ErrorType);
        using var json = JsonDocument.Parse(report.Outcome.Payload);
        var seen = json.RootElement;
        Assert.Equal(report.RequestId, seen.GetProperty("requestId").GetString());
        Assert.InRange(seen.GetProperty("remainingMs").GetInt64(), 5_000, 10_000);
        Assert.Equal(DummyFunctionHost.FunctionName, seen.GetProperty("functionName").GetString());
        Assert.Equal(DummyFunctionHost.MemoryMb, seen.GetProperty("memoryLimitInMB").GetInt32());
        Assert.Equal(host.Spec.FunctionArn, seen.GetProperty("invokedFunctionArn").GetString());
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$", seen.GetProperty("traceId").GetString());
        var environment = seen.GetProperty("environment");
        Assert.Equal("on", environment.GetProperty("DUMMY_SETTING").GetString());
        Assert.Equal("$LATEST", environment.GetProperty("AWS_LAMBDA_FUNCTION_VERSION").GetString());
        Assert.Equal($"/aws/lambda/{DummyFunctionHost.FunctionName}", environment.GetProperty("AWS_LAMBDA_LOG_GROUP_NAME").GetString());
        // host:port only, as Lambda defines it: the instance has a listener of its own.
        Assert.Matches(@"^127\.0\.0\.1:\d+$", environment.GetProperty("AWS_LAMBDA_RUNTIME_API").GetString());
        Assert.Equal(JsonValueKind.Null, environment.GetProperty("HOME").ValueKind);
    }

    [Fact]
    public async Task A_bootstrap_that_is_not_there_is_an_instance_start_error_that_says_to_build_it()
    {
        var spec = DummyFunctionHost.SpecFor(DummyFunctionHost.FunctionName, TimeSpan.FromSeconds(5)) with { Bootstrap = "/nonexistent/bootstrap" };
        await using var server = await RuntimeApiServer.StartAsync();

        var error = await Assert.ThrowsAsync<InstanceStartException>(() => FunctionInstance.StartAsync(spec, server, _ => { }));

        Assert.Contains("Cannot start /nonexistent/bootstrap", error.Message);
        Assert.Contains($"./fn build {DummyFunctionHost.FunctionName}", error.Message);
        Assert.Equal(error.Message, global::Functions.Tools.UserErrors.Describe(error)?.Message);
    }
}
