using System.Globalization;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Scheduler;

/// <summary>One invocation as Lambda's START / END / REPORT lines describe it.</summary>
public sealed record InvocationReport(
    string RequestId,
    InvocationOutcome Outcome,
    double DurationMs,
    int MemorySizeMb,
    int? MaxMemoryUsedMb,
    double? InitDurationMs)
{
    /// <summary>Whether this invocation met a new instance: its Init Duration, or an init that failed (which has none).</summary>
    public bool Cold { get; init; } = InitDurationMs is not null;

    /// <summary>Billed in whole milliseconds, rounded up; on provided runtimes the init phase is billed too.</summary>
    public long BilledDurationMs => (long)Math.Ceiling(DurationMs + (InitDurationMs ?? 0));

    /// <summary>
    /// What Lambda itself writes into the function's log stream between START and END when the platform ended the
    /// invocation (a timeout, a crash): the function could not log it. Null otherwise.
    /// </summary>
    public string? PlatformErrorLine
    {
        get
        {
            if (!Outcome.IsPlatformFailure)
            {
                return null;
            }
            return $"{Outcome.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {ErrorMessage() ?? Outcome.ErrorType} {Outcome.ErrorType}";
        }
    }

    /// <summary>errorMessage of the error body; the body may come from the function itself, so anything goes.</summary>
    private string? ErrorMessage()
    {
        try
        {
            using var error = System.Text.Json.JsonDocument.Parse(Outcome.Payload);
            return error.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && error.RootElement.TryGetProperty("errorMessage", out var text) && text.ValueKind == System.Text.Json.JsonValueKind.String
                ? text.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public string StartLine => $"START RequestId: {RequestId} Version: $LATEST";

    public string EndLine => $"END RequestId: {RequestId}";

    public string ReportLine
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var line = $"REPORT RequestId: {RequestId}\tDuration: {DurationMs.ToString("0.00", c)} ms\tBilled Duration: {BilledDurationMs.ToString(c)} ms\tMemory Size: {MemorySizeMb.ToString(c)} MB\tMax Memory Used: {(MaxMemoryUsedMb ?? 0).ToString(c)} MB";
            return InitDurationMs is { } init ? $"{line}\tInit Duration: {init.ToString("0.00", c)} ms" : line;
        }
    }
}
