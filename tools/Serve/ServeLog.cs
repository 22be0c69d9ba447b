using System.Globalization;
using Functions.Tools.Instances;

namespace Functions.Tools.Serve;

/// <summary>
/// What ./fn serve prints while it runs: each function's log lines tagged with its name (with Lambda's START / END /
/// REPORT lines, which its instances write in Lambda's order), and one access line per request (method, path, status, ms, cold or warm).
/// </summary>
public sealed class ServeLog(TextWriter writer)
{
    private readonly TextWriter _writer = TextWriter.Synchronized(writer);

    public void Info(string message) => _writer.WriteLine(message);

    public void Function(string function, string line) => _writer.WriteLine($"[{function}] {line}");

    public void Error(string function, string message) => _writer.WriteLine($"[{function}] error: {message}");

    /// <summary>Where each access line also goes as an entry: the console's live traffic; null: nowhere.</summary>
    public WebConsole.TrafficFeed? Traffic { get; init; }

    /// <summary>Whether what a request carried is worth keeping: a console page lists the traffic.</summary>
    public bool KeepsDetails => Traffic is { IsListened: true };

    /// <param name="detail">What the request carried, for a console page to open; made only when <see cref="KeepsDetails"/>.</param>
    public void Access(string method, string path, int status, double milliseconds, string temperature, WebConsole.RequestDetail? detail = null)
    {
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method} {path} {status} {milliseconds:0.0} ms {temperature}"));
        if (Traffic is { IsListened: true } traffic)
        {
            traffic.Publish(new WebConsole.TrafficEntry(DateTimeOffset.UtcNow, method, path, status, milliseconds, temperature), detail);
        }
    }
}
