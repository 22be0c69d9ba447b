using System.Text;
using System.Text.Json;
using Functions.Tools.Instances;

namespace Functions.Tools.Bench;

/// <summary>
/// Figures of failing invocations would measure the wrong thing (an error path, a crash): bench and tune stop at the
/// first failure with its reason. A function behind the HTTP API must answer 2xx; any other must not fail.
/// </summary>
public static class MeasuredInvocation
{
    public static InvocationReport EnsureSucceeded(InvocationReport report, string function, bool httpResponse = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        // A streamed HTTP answer taken whole is prelude, NUL bytes and body: its status is the prelude's.
        var payload = report.Outcome.StreamContentType is null ? report.Outcome.Payload : Encoding.UTF8.GetBytes(Invoke.StreamedPayload.Printable(report.Outcome));
        var status = report.Outcome.IsSuccess ? StatusCode(payload) : null;
        var failed = !report.Outcome.IsSuccess || (httpResponse ? status is not (>= 200 and < 300) : status is >= 400);
        return failed
            ? throw new BenchException($"{function} did not succeed ({report.Outcome.ErrorType ?? $"status {status}"}): {Encoding.UTF8.GetString(payload)}")
            : report;
    }

    private static int? StatusCode(byte[] payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("statusCode", out var code) && code.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
