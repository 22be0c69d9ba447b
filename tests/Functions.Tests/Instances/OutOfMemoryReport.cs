using System.Text.Json;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Instances;

/// <summary>What Lambda reports of an instance stopped at its memory size, whoever stopped it (the kernel or the watch).</summary>
internal static class OutOfMemoryReport
{
    public static void AssertReportedAsLambdaDoes(InvocationReport report, int memoryMb)
    {
        Assert.Equal(InvocationOutcome.OutOfMemory, report.Outcome.ErrorType);
        using var error = JsonDocument.Parse(report.Outcome.Payload);
        Assert.EndsWith("Error: Runtime exited with error: signal: killed", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains($"Max Memory Used: {memoryMb} MB", report.ReportLine, StringComparison.Ordinal);
        Assert.EndsWith("\tStatus: error\tError Type: Runtime.OutOfMemory", report.ReportLine, StringComparison.Ordinal);
    }
}
