using System.Text;
using System.Threading.Channels;

namespace Functions.Tools.Serve;

/// <summary>
/// Lines for a stream (serve's stdout), written by one pump in batches: under load serve logs four lines a request
/// (START, END, REPORT, the access line), and one write and flush per line cost it ~7 % of its CPU (perf), with every
/// request thread taking turns on one lock. The queue is bounded: when the reader stalls (a paused pager), writers wait
/// for room, as they waited on the pipe before, and serve's memory does not grow.
/// </summary>
internal sealed class BatchedLines : TextWriter
{
    private const int Capacity = 16 * 1024;
    private const int BatchChars = 64 * 1024;

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Stream _output;
    private readonly Task _pump;

    public BatchedLines(Stream output)
    {
        _output = output;
        _pump = Task.Run(PumpAsync);
    }

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The start of a line written in pieces (Write), until its end comes.</summary>
    private readonly StringBuilder _partial = new();

    public override void WriteLine(string? value)
    {
        string line;
        lock (_partial)
        {
            line = _partial.Length == 0 ? value ?? "" : _partial.Append(value).ToString();
            _partial.Clear();
        }
        Enqueue(line);
    }

    public override void Write(char value)
    {
        if (value == '\n')
        {
            WriteLine((string?)null);
            return;
        }
        lock (_partial)
        {
            _partial.Append(value);
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    /// <summary>A line begun but not ended when the log closes is still written.</summary>
    private void FlushPartial()
    {
        bool pending;
        lock (_partial)
        {
            pending = _partial.Length > 0;
        }
        if (pending)
        {
            WriteLine((string?)null);
        }
    }

    private void Enqueue(string line)
    {
        if (!_lines.Writer.TryWrite(line))
        {
            // Full: wait for the pump, as a blocked pipe made the writer wait. Completed: the log is closed, drop it.
            try
            {
                _lines.Writer.WriteAsync(line).AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException)
            {
            }
        }
    }

    /// <summary>Writes what is queued and stops the pump.</summary>
    public override async ValueTask DisposeAsync()
    {
        FlushPartial();
        _lines.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            FlushPartial();
            _lines.Writer.TryComplete();
            _pump.GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    private async Task PumpAsync()
    {
        var batch = new StringBuilder(BatchChars);
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(BatchChars)];
        var reader = _lines.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Length < BatchChars && reader.TryRead(out var line))
                {
                    batch.Append(line).Append('\n');
                }
                var text = batch.ToString();
                batch.Clear();
                var count = Encoding.UTF8.GetByteCount(text);
                if (count > bytes.Length)
                {
                    bytes = new byte[count];
                }
                Encoding.UTF8.GetBytes(text, bytes);
                await _output.WriteAsync(bytes.AsMemory(0, count)).ConfigureAwait(false);
                await _output.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // Nobody reads serve's output any more (the pipe closed): what is left has nowhere to go.
            _lines.Writer.TryComplete();
            while (reader.TryRead(out _))
            {
            }
        }
    }
}
