using System.Globalization;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Instances;

/// <summary>One invocation as Lambda's START / END / REPORT lines describe it.</summary>
public sealed record InvocationReport(
    string RequestId,
    InvocationOutcome Outcome,
    double DurationMs,
    int MemorySizeMb,
    int? MaxMemoryUsedMb,
    double? InitDurationMs)
{
    /// <summary>Whether this invocation met a new instance (it has an Init Duration).</summary>
    public bool Cold { get; init; } = InitDurationMs is not null;

    /// <summary>The emulator the instance ran under (qemu-aarch64 for arm64 here), or null: the REPORT line then says its figures are the emulator's.</summary>
    public string? Emulator { get; init; }

    /// <summary>A cold invocation's init, phase by phase, when the function's runtime said where it went; not in the REPORT line (Lambda's has no such field).</summary>
    public InitPhases? InitPhases { get; init; }

    /// <summary>
    /// A streamed response's time to first byte: from the event's dispatch until the function began its stream (not in
    /// the REPORT line: Lambda's has no such field). Null for a buffered response.
    /// </summary>
    public double? FirstByteMs { get; init; }

    /// <summary>The instance never finished its init: the outcome is the init's error.</summary>
    public bool InitFailed { get; init; }

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

    public string StartLine => StartLineFor(RequestId);

    public static string StartLineFor(string requestId) => $"START RequestId: {requestId} Version: $LATEST";

    public string EndLine => $"END RequestId: {RequestId}";

    public string ReportLine
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var line = $"REPORT RequestId: {RequestId}\tDuration: {DurationMs.ToString("0.00", c)} ms\tBilled Duration: {BilledDurationMs.ToString(c)} ms\tMemory Size: {MemorySizeMb.ToString(c)} MB\tMax Memory Used: {(MaxMemoryUsedMb ?? 0).ToString(c)} MB";
            line = InitDurationMs is { } init ? $"{line}\tInit Duration: {init.ToString("0.00", c)} ms" : line;
            line = StatusFields is { } status ? $"{line}\t{status}" : line;
            // After Lambda's own fields, so parsers of Lambda's lines (ours, CloudWatch's) read the rest as ever.
            return Emulator is { } emulator ? $"{line}\tEmulated: {emulator}" : line;
        }
    }

    /// <summary>
    /// What Lambda adds to REPORT when the platform ended the invocation or the init failed: "Status: timeout", or
    /// "Status: error" with the error type. An error the function reported itself (/error) adds nothing: the
    /// invocation ran to its end, as far as the platform is concerned.
    /// </summary>
    public string? StatusFields
    {
        get
        {
            if (Outcome.ErrorType == InvocationOutcome.TimedOut)
            {
                return "Status: timeout";
            }
            return Outcome.IsPlatformFailure || InitFailed ? $"Status: error\tError Type: {Outcome.ErrorType}" : null;
        }
    }
}
