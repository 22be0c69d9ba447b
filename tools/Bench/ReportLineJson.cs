using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Functions.Tools.Bench;

/// <summary>
/// The JSON shapes a REPORT can arrive in: Lambda's platform.report record (JSON log format; the record follows the
/// Telemetry API's platform.report schema) and CloudWatch Logs events whose "message" holds either form.
/// </summary>
internal static class ReportLineJson
{
    private const string PlatformReport = "platform.report";

    /// <summary>Walks arrays and {"events": [...]} wrappers and adds every report found, in order.</summary>
    public static void Collect(JsonElement element, List<ReportLine> reports)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, reports);
                }
                break;
            case JsonValueKind.Object when element.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array:
                Collect(events, reports);
                break;
            default:
                if (TryRead(element, out var report))
                {
                    reports.Add(report);
                }
                break;
        }
    }

    /// <summary>One event: a platform.report record, a log event with a "message", or a bare string.</summary>
    public static bool TryRead(JsonElement element, [MaybeNullWhen(false)] out ReportLine report)
    {
        report = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return ReportLine.TryParse(element.GetString()!, out report);
            case JsonValueKind.Object:
                if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                    && type.GetString() == PlatformReport && element.TryGetProperty("record", out var record))
                {
                    return TryReadRecord(record, out report);
                }
                // CloudWatch Logs events (export, filter-log-events, subscription payloads) carry the line as "message".
                return element.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                    && ReportLine.TryParse(message.GetString()!, out report);
            default:
                return false;
        }
    }

    private static bool TryReadRecord(JsonElement record, [MaybeNullWhen(false)] out ReportLine report)
    {
        report = null;
        if (record.ValueKind != JsonValueKind.Object
            || !record.TryGetProperty("requestId", out var id) || id.ValueKind != JsonValueKind.String
            || !record.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object
            || Number(metrics, "durationMs") is not { } duration
            || Number(metrics, "billedDurationMs") is not { } billed
            || Number(metrics, "memorySizeMB") is not { } memory
            || Number(metrics, "maxMemoryUsedMB") is not { } used)
        {
            return false;
        }
        report = new ReportLine(id.GetString()!, duration, (long)Math.Ceiling(billed), (int)memory, (int)used, Number(metrics, "initDurationMs"));
        return true;
    }

    private static double? Number(JsonElement metrics, string name) =>
        metrics.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : null;
}
