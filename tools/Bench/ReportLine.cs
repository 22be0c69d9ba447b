using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Functions.Tools.Bench;

/// <summary>
/// One invocation as Lambda's REPORT line tells it, read back from logs of deployed functions (./fn bench --from-logs).
/// Understands the text line Lambda writes with the Text log format, the platform.report record it writes with the
/// JSON log format, and either one wrapped as the "message" of a CloudWatch Logs event.
/// </summary>
public sealed partial record ReportLine(
    string RequestId,
    double DurationMs,
    long BilledDurationMs,
    int MemorySizeMb,
    int MaxMemoryUsedMb,
    double? InitDurationMs)
{
    /// <summary>Lambda reports Init Duration only for the first invocation of a new execution environment.</summary>
    public bool IsCold => InitDurationMs is not null;

    /// <summary>
    /// The emulator a local run's line names ("Emulated: qemu-aarch64", ours, after Lambda's fields): its durations and
    /// memory are the emulator's, not Lambda's. Null on Lambda's own lines.
    /// </summary>
    public string? Emulator { get; init; }

    /// <summary>
    /// Reads one line in any of the forms above. A CloudWatch timestamp or request-id prefix before REPORT is ignored,
    /// tabs and spaces are both accepted between fields, and X-Ray or other trailing fields are skipped.
    /// </summary>
    public static bool TryParse(string line, [MaybeNullWhen(false)] out ReportLine report)
    {
        report = null;
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }
        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] == '{')
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed.ToString());
                return ReportLineJson.TryRead(document.RootElement, out report);
            }
            catch (JsonException)
            {
                // Not JSON after all (a text line that happens to start with a brace): try it as text below.
            }
        }
        return TryParseText(line, out report);
    }

    /// <summary>
    /// Every REPORT in a log file's text, in file order, whatever its shape: a JSON array or {"events": [...]} as
    /// `aws logs filter-log-events` and the console export give, one JSON object per line, or plain text lines.
    /// Anything that is not a report (START, END, the function's own logs) is skipped.
    /// </summary>
    public static IReadOnlyList<ReportLine> ParseFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reports = new List<ReportLine>();
        var start = text.AsSpan().TrimStart();
        if (start.Length > 0 && start[0] is '[' or '{')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                ReportLineJson.Collect(document.RootElement, reports);
                return reports;
            }
            catch (JsonException)
            {
                // More than one JSON value (JSON lines) or not JSON at all: read it line by line.
            }
        }
        foreach (var line in text.Split('\n'))
        {
            if (TryParse(line, out var report))
            {
                reports.Add(report);
            }
        }
        return reports;
    }

    private static bool TryParseText(string line, [MaybeNullWhen(false)] out ReportLine report)
    {
        report = null;
        var match = TextForm().Match(line);
        if (!match.Success)
        {
            return false;
        }
        var c = CultureInfo.InvariantCulture;
        var init = match.Groups["init"];
        report = new ReportLine(
            match.Groups["id"].Value,
            double.Parse(match.Groups["duration"].Value, c),
            long.Parse(match.Groups["billed"].Value, c),
            int.Parse(match.Groups["memory"].Value, c),
            int.Parse(match.Groups["used"].Value, c),
            init.Success ? double.Parse(init.Value, c) : null)
        {
            Emulator = EmulatedField().Match(line) is { Success: true } emulated ? emulated.Groups["emulator"].Value : null,
        };
        return true;
    }

    // The fields always come in this order (see the REPORT line description in the Lambda developer guide's
    // "Using Amazon CloudWatch Logs with AWS Lambda"); \s+ lets the tab-separated original, a copy whose tabs became
    // spaces, and the odd space before a tab ("Billed Duration: 100 ms \tMemory Size") all match.
    [GeneratedRegex(
        @"\bREPORT\s+RequestId:\s*(?<id>\S+)\s+Duration:\s*(?<duration>\d+(?:\.\d+)?)\s*ms\s+Billed\s+Duration:\s*(?<billed>\d+)\s*ms\s+Memory\s+Size:\s*(?<memory>\d+)\s*MB\s+Max\s+Memory\s+Used:\s*(?<used>\d+)\s*MB(?:\s+Init\s+Duration:\s*(?<init>\d+(?:\.\d+)?)\s*ms)?",
        RegexOptions.CultureInvariant)]
    private static partial Regex TextForm();

    [GeneratedRegex(@"\sEmulated:\s*(?<emulator>\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex EmulatedField();
}
