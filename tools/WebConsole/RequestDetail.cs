using System.Text;
using System.Text.Unicode;

namespace Functions.Tools.WebConsole;

/// <summary>
/// What the console shows when a request of its traffic list is opened: the event the function got (none when the
/// gateway answered on its own), the answer the client got, and the invocation's log with its REPORT line.
/// </summary>
public sealed record RequestDetail(string RequestId, string? Function, string? Event, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body, string? Log)
{
    /// <summary>The most of an event or a body a detail keeps: enough to read, not a copy of every large payload.</summary>
    public const int MaxTextBytes = 64 * 1024;

    /// <summary>UTF-8 as text, cut at <see cref="MaxTextBytes"/> with a note; a binary body as its size.</summary>
    public static string Shown(ReadOnlySpan<byte> bytes)
    {
        var length = Math.Min(bytes.Length, MaxTextBytes);
        // A cut inside a character moves back to its first byte.
        while (length > 0 && length < bytes.Length && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }
        var kept = bytes[..length];
        if (!Utf8.IsValid(kept))
        {
            return $"({bytes.Length} bytes, not text)";
        }
        var text = Encoding.UTF8.GetString(kept);
        return length < bytes.Length ? text + $"\n… ({bytes.Length - length} more bytes not kept)" : text;
    }
}

/// <summary>
/// The details of the last <see cref="Kept"/> requests, by request id, for the pages that list them: the oldest go
/// first, so however long serve runs they hold at most that many.
/// </summary>
public sealed class RequestDetails
{
    public const int Kept = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, RequestDetail> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Remember(RequestDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        lock (_gate)
        {
            if (_byId.TryAdd(detail.RequestId, detail))
            {
                _order.Enqueue(detail.RequestId);
            }
            while (_order.Count > Kept)
            {
                _byId.Remove(_order.Dequeue());
            }
        }
    }

    public RequestDetail? Find(string requestId)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(requestId);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _byId.Clear();
            _order.Clear();
        }
    }
}
