namespace Functions.Tools.RuntimeApi;

/// <summary>
/// The request ids answered most recently, so a late second answer gets 403 (InvalidStateTransition) rather than
/// 400. Bounded: serve answers thousands of invocations a second for as long as it runs, and keeping every id would
/// grow without end (40 MB after a minute of load). An id older than the last <see cref="Capacity"/> answers is
/// refused as unknown, which is what it then is.
/// </summary>
public sealed class AnsweredIds
{
    public const int Capacity = 4096;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly string?[] _order = new string?[Capacity];
    private int _next;

    public void Add(string requestId)
    {
        lock (_gate)
        {
            if (!_ids.Add(requestId))
            {
                return;
            }
            if (_order[_next] is { } oldest)
            {
                _ids.Remove(oldest);
            }
            _order[_next] = requestId;
            _next = (_next + 1) % Capacity;
        }
    }

    public bool Contains(string requestId)
    {
        lock (_gate)
        {
            return _ids.Contains(requestId);
        }
    }
}
