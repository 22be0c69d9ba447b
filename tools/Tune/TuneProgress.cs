using System.Globalization;

namespace Functions.Tools.Tune;

/// <summary>
/// Where a sweep is, on standard error: a bar redrawn in place on a terminal; one line per size when standard error
/// goes to a file or a CI log, where a redrawn line would be hundreds of lines.
/// </summary>
public sealed class TuneProgress(TextWriter writer, bool interactive) : IProgress<SweepProgress>
{
    private const int BarWidth = 30;
    private (string Function, int MemoryMb)? _shown;

    public static TuneProgress ForStandardError() => new(Console.Error, !Console.IsErrorRedirected);

    public void Report(SweepProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var c = CultureInfo.InvariantCulture;
        if (interactive)
        {
            var filled = value.Total == 0 ? BarWidth : value.Done * BarWidth / value.Total;
            writer.Write($"\rtune: {value.Function} at {value.MemoryMb.ToString(c),5} MB [{new string('#', filled)}{new string('.', BarWidth - filled)}] {value.Done.ToString(c)}/{value.Total.ToString(c)}");
            if (value.Done == value.Total)
            {
                writer.WriteLine();
            }
            return;
        }
        if (_shown != (value.Function, value.MemoryMb))
        {
            _shown = (value.Function, value.MemoryMb);
            writer.WriteLine($"tune: {value.Function} at {value.MemoryMb.ToString(c)} MB ({value.Done.ToString(c)}/{value.Total.ToString(c)} invocations done)");
        }
    }

    /// <summary>Ends a bar a sweep left half drawn (a failure, Ctrl-C), so the next message starts on a line of its own.</summary>
    public void Interrupted()
    {
        if (interactive)
        {
            writer.WriteLine();
        }
    }
}
