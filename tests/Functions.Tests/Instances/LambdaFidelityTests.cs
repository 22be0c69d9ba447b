using System.Text.Json;
using System.Text.RegularExpressions;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Instances;

/// <summary>
/// Where our emulator and Lambda once differed: the order of the log lines, the REPORT fields of a failure,
/// the memory size enforced, what /next passes besides the event. Each against the real dummy process.
/// </summary>
public sealed class LambdaFidelityTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task START_precedes_the_functions_own_lines_and_END_and_REPORT_follow_them()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync("""{"action":"log","line":"the function speaks"}""");
        await WaitForAsync(() => host.Log.Any(l => l.StartsWith("REPORT", StringComparison.Ordinal)));

        // Assert
        var lines = host.Log.ToList();
        var start = lines.IndexOf(report.StartLine);
        var own = lines.IndexOf("the function speaks");
        var end = lines.IndexOf(report.EndLine);
        var reportAt = lines.IndexOf(report.ReportLine);
        Assert.True(start >= 0 && start < own && own < end && end < reportAt, string.Join("\n", lines));
    }

    [Fact]
    public async Task A_function_past_its_memory_size_is_stopped_as_out_of_memory()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync($$"""{"action":"allocate","mb":{{DummyFunctionHost.MemoryMb + 200}},"holdMs":5000}""");

        // Assert
        OutOfMemoryReport.AssertReportedAsLambdaDoes(report, DummyFunctionHost.MemoryMb);
        Assert.True(await host.HasExitedWithinAsync(ExitTimeout), "The environment is gone.");
    }

    [Fact]
    public async Task A_function_within_its_memory_size_keeps_running()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync("""{"action":"allocate","mb":64}""");

        // Assert
        Assert.True(report.Outcome.IsSuccess, report.Outcome.ErrorType);
        Assert.False(host.Instance.HasExited);
    }

    [Fact]
    public async Task A_crashed_instance_reports_the_memory_it_used_and_the_error()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync("""{"action":"exit","code":3}""");

        // Assert
        Assert.True(report.MaxMemoryUsedMb > 0, report.ReportLine);
        Assert.EndsWith("\tStatus: error\tError Type: Runtime.ExitError", report.ReportLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timed_out_invocation_reports_status_timeout()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync(timeout: TimeSpan.FromSeconds(1));

        // Act
        var report = await host.InvokeAsync("""{"action":"sleep","ms":30000}""");

        // Assert
        Assert.EndsWith("\tStatus: timeout", report.ReportLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_the_function_reports_itself_adds_no_status_to_REPORT()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();

        // Act
        var report = await host.InvokeAsync("""{"action":"throw"}""");

        // Assert
        Assert.DoesNotContain("Status:", report.ReportLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_trace_and_client_context_reach_the_function()
    {
        // Arrange
        await using var host = await DummyFunctionHost.StartAsync();
        var root = TraceHeader.NewRoot();

        // Act
        var report = await host.InvokeAsync("""{"action":"env"}""", caller: new CallerContext(root, """{"custom":{"k":"v"}}"""));

        // Assert
        using var seen = JsonDocument.Parse(report.Outcome.Payload);
        Assert.Matches($"^{Regex.Escape(root)};Parent=[0-9a-f]{{16}};Sampled=0$", seen.RootElement.GetProperty("traceId").GetString());
        Assert.Equal("""{"custom":{"k":"v"}}""", seen.RootElement.GetProperty("clientContext").GetString());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + ExitTimeout;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }
    }
}
