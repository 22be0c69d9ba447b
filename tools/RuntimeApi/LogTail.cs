using System.Text;

namespace Functions.Tools.RuntimeApi;

/// <summary>
/// One invocation's log lines as they are written (START, the function's own, END, REPORT), of which the Invoke API
/// returns the last 4 KB in X-Amz-Log-Result when asked with X-Amz-Log-Type: Tail.
/// </summary>
public sealed class LogTail
{
    /// <summary>Lambda: "the last 4 KB of the execution log".</summary>
    public const int MaxBytes = 4 * 1024;

    private readonly StringBuilder _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Append(line).Append('\n');
            // Keep a bounded window: a chatty function must not grow this without end.
            if (_lines.Length > MaxBytes * 4)
            {
                _lines.Remove(0, _lines.Length - MaxBytes * 2);
            }
        }
    }

    /// <summary>The lines kept so far (at least the last <see cref="MaxBytes"/> bytes' worth), as text.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return _lines.ToString();
        }
    }

    /// <summary>The last <see cref="MaxBytes"/> bytes of UTF-8, in base64, starting on a whole character.</summary>
    public string ToBase64()
    {
        byte[] bytes;
        lock (_gate)
        {
            bytes = Encoding.UTF8.GetBytes(_lines.ToString());
        }
        var start = Math.Max(0, bytes.Length - MaxBytes);
        while (start < bytes.Length && (bytes[start] & 0xC0) == 0x80)
        {
            start++; // A continuation byte: the character began before the window.
        }
        return Convert.ToBase64String(bytes, start, bytes.Length - start);
    }
}
