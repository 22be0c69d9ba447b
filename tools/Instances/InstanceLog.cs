using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Instances;

/// <summary>
/// The log of one instance: the function's own lines (stdout and stderr) as they come, and Lambda's around each
/// invocation's: START when the instance takes the event, then the platform's error, END and REPORT.
/// </summary>
internal sealed class InstanceLog(Action<string> log)
{
    private volatile LogTail? _tail;

    /// <summary>
    /// Where the running invocation's caller collects its lines, or null: one event at a time per instance, so until
    /// the REPORT line, what it prints belongs to this invocation.
    /// </summary>
    public void TailTo(LogTail? tail) => _tail = tail;

    /// <summary>A line of the instance's log: to serve's log, and to the tail of the invocation running, if one asked.</summary>
    public void Write(string line)
    {
        log(line);
        _tail?.Add(line);
    }

    /// <summary>The instance took the event.</summary>
    public void Started(string requestId) => Write(InvocationReport.StartLineFor(requestId));

    /// <summary>Lambda's lines for the invocation, after the function's own; START too when it never took the event.</summary>
    public void Ended(InvocationReport report, bool started)
    {
        if (!started)
        {
            Write(report.StartLine);
        }
        if (report.PlatformErrorLine is { } platform)
        {
            Write(platform);
        }
        Write(report.EndLine);
        Write(report.ReportLine);
    }
}
