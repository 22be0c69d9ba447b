using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Functions.Tools.RuntimeApi.Http1;

/// <summary>
/// One client's connection: requests read one after another into a small buffer (a body of known length goes straight
/// into the reader's memory), each answered whole with a Content-Length. Kept open between requests unless the client
/// or an unread held-back body says otherwise.
/// </summary>
public sealed class Http1Connection : IDisposable
{
    private const int HeadBytes = 64 * 1024;
    private const int FirstBufferBytes = 4 * 1024;
    // Up to this much, a response's head and body go out in one send.
    private const int OneSendBytes = 16 * 1024;

    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly CancellationTokenSource _aborted;
    private byte[] _buffer = new byte[FirstBufferBytes];
    private int _start;
    private int _end;
    // A receive started while a handler waits, to notice the client leaving; the next read takes its bytes.
    private Task<int>? _probe;
    private Http1Request? _current;
    private bool _answered;
    // Answers not sent yet: the client's next request was already here when they were made (see AnswerAsync).
    private byte[] _held = [];
    private bool _heldSuccesses;

    internal Http1Connection(Socket socket, CancellationToken stopping)
    {
        _socket = socket;
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    internal CancellationToken Aborted => _aborted.Token;

    /// <summary>Serves requests until the client closes, a request cannot be read, or one is left unanswered.</summary>
    internal async Task ServeAsync(Func<Http1Request, Http1Connection, Task> handle)
    {
        while (true)
        {
            Http1Request? request;
            try
            {
                request = await ReadRequestAsync().ConfigureAwait(false);
            }
            catch (MalformedRequestException e)
            {
                await RefuseAsync(e).ConfigureAwait(false);
                return;
            }
            if (request is null)
            {
                return;
            }
            (_current, _answered) = (request, false);
            await handle(request, this).ConfigureAwait(false);
            if (!_answered || WillClose(request))
            {
                await FlushAsync().ConfigureAwait(false);
                return;
            }
            await request.Body.DrainAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The handler is about to wait for something other than this client (a /next for an event): the token returned is
    /// cancelled if the client goes away meanwhile (a read is left pending on the socket, and its end, the client's
    /// close, cancels it). Only for a request whose body was read whole. Held answers that are all successes stay held
    /// through the wait: the client asked for what is awaited before it read them, so it is waiting for both, and gets
    /// them in one read; any other held answer goes out now, for the client to act on.
    /// </summary>
    public async ValueTask<CancellationToken> WaitingAsync()
    {
        if (!_heldSuccesses)
        {
            await FlushAsync().ConfigureAwait(false);
        }
        if (_probe is null && _start == _end && _current is { Body.IsComplete: true })
        {
            (_start, _end) = (0, 0);
            _probe = ReceiveAsync(_buffer).AsTask();
            _ = _probe.ContinueWith(static (read, state) =>
            {
                if (!read.IsCompletedSuccessfully || read.Result == 0)
                {
                    ((Http1Connection)state!).Cancel();
                }
            }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return _aborted.Token;
    }

    /// <summary>
    /// Answers the current request with <paramref name="status"/>, <paramref name="headers"/> and the whole
    /// <paramref name="body"/>. A small answer to a client whose next request is already here (it sent it without
    /// waiting: a runtime's /next behind its /response) is held and goes out with the next answer, in one send: the
    /// client reads both at once. Held answers go out before the connection reads or waits (see <see cref="WaitingAsync"/>).
    /// </summary>
    public async Task AnswerAsync(int status, ReadOnlyMemory<byte> body, string contentType = "application/json", IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        _answered = true;
        var close = _current is null || WillClose(_current);
        var head = new StringBuilder(256)
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        var text = head.Append(close ? "Connection: close\r\n\r\n" : "\r\n").ToString();
        var headLength = Encoding.UTF8.GetByteCount(text);
        if (_held.Length + headLength + body.Length <= OneSendBytes)
        {
            var whole = new byte[_held.Length + headLength + body.Length];
            _held.CopyTo(whole, 0);
            Encoding.UTF8.GetBytes(text, whole.AsSpan(_held.Length));
            body.CopyTo(whole.AsMemory(_held.Length + headLength));
            var heldSuccesses = _held.Length == 0 || _heldSuccesses;
            _held = [];
            if (!close && NextRequestIsHere())
            {
                _held = whole;
                _heldSuccesses = heldSuccesses && status is >= 200 and < 300;
                return;
            }
            await SendAsync(whole).ConfigureAwait(false);
        }
        else
        {
            await FlushAsync().ConfigureAwait(false);
            await SendAsync(Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
            await SendAsync(body).ConfigureAwait(false);
        }
        if (close)
        {
            Close();
        }
    }

    /// <summary>What a handler's own failure leaves the client: a 500 that names it, if nothing was answered yet.</summary>
    internal async Task FailAsync(Exception failure)
    {
        if (_answered || _current is null)
        {
            return;
        }
        _current = null;
        try
        {
            await AnswerAsync(500, RuntimeApiServer.ErrorBody("ServiceException", $"The Runtime API failed on this request: {failure.Message}")).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The client is gone too, or the listener stopped.
        }
    }

    /// <summary>Ends the connection now: a waiting handler's token is cancelled, a pending read or send fails.</summary>
    internal void Abort()
    {
        Cancel();
        _socket.Dispose();
    }

    public void Dispose()
    {
        _socket.Dispose();
        _aborted.Dispose();
    }

    /// <summary>Tells a client that held its body back to send it, after any answer still held for an earlier request.</summary>
    internal async ValueTask SendContinueAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        await SendAsync(Continue).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw Broken(e);
        }
    }

    /// <summary>Body bytes: what is buffered first, then straight from the socket into <paramref name="into"/> when it is large.</summary>
    internal async ValueTask<int> ReadBodyAsync(Memory<byte> into)
    {
        if (_start == _end && _probe is null && into.Length >= FirstBufferBytes)
        {
            await FlushAsync().ConfigureAwait(false);
            return await ReceiveAsync(into).ConfigureAwait(false);
        }
        if (_start == _end && await FillAsync().ConfigureAwait(false) == 0)
        {
            return 0;
        }
        var count = Math.Min(into.Length, _end - _start);
        _buffer.AsMemory(_start, count).CopyTo(into);
        _start += count;
        return count;
    }

    /// <summary>One line of the body's framing (a chunk size, a trailer), without its CRLF.</summary>
    internal async ValueTask<string> ReadLineAsync(int maxBytes)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }
            if (_end - _start > maxBytes)
            {
                throw new MalformedRequestException(400, $"A line of the request's body framing is longer than {maxBytes} bytes.");
            }
            if (await FillAsync().ConfigureAwait(false) == 0)
            {
                throw new IOException("The client closed the connection in the middle of its request's body.");
            }
        }
    }

    /// <summary>Sends the answers held back, if any.</summary>
    private async ValueTask FlushAsync()
    {
        if (_held.Length > 0)
        {
            var held = _held;
            _held = [];
            await SendAsync(held).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the current request was read whole and the next one's head is in the buffer already.</summary>
    private bool NextRequestIsHere() =>
        _current is { Body.IsComplete: true } && _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8) >= 0;

    private bool WillClose(Http1Request request) =>
        !request.KeepAlive || (request.ExpectsContinue && !request.Body.ContinueSent && !request.Body.IsComplete);

    /// <summary>The next request's head, parsed; null when the client closed the connection between requests.</summary>
    private async Task<Http1Request?> ReadRequestAsync()
    {
        while (true)
        {
            var buffered = _buffer.AsSpan(_start, _end - _start);
            var end = buffered.IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var request = Http1Head.Parse(buffered[..end], this);
                _start += end + 4;
                return request;
            }
            if (buffered.Length >= HeadBytes)
            {
                throw new MalformedRequestException(431, $"The request's line and headers are larger than {HeadBytes / 1024} KB.");
            }
            if (await FillAsync().ConfigureAwait(false) == 0)
            {
                return null;
            }
        }
    }

    private async Task RefuseAsync(MalformedRequestException refusal)
    {
        _current = null;
        await AnswerAsync(refusal.Status, RuntimeApiServer.ErrorBody("InvalidRequest", refusal.Message)).ConfigureAwait(false);
    }

    /// <summary>Reads more into the buffer (after the probe's bytes, if one is pending); 0 at the client's end.</summary>
    private async ValueTask<int> FillAsync()
    {
        // The client may be waiting for a held answer before it sends more.
        await FlushAsync().ConfigureAwait(false);
        int read;
        if (_probe is { } probe)
        {
            _probe = null;
            read = await probe.ConfigureAwait(false);
        }
        else
        {
            MakeRoom();
            read = await ReceiveAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
        }
        _end += read;
        return read;
    }

    private void MakeRoom()
    {
        if (_start == _end)
        {
            (_start, _end) = (0, 0);
        }
        if (_end < _buffer.Length)
        {
            return;
        }
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            (_start, _end) = (0, _end - _start);
            return;
        }
        Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, HeadBytes + 4));
    }

    private async ValueTask<int> ReceiveAsync(Memory<byte> into)
    {
        try
        {
            return await _socket.ReceiveAsync(into, SocketFlags.None).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw Broken(e);
        }
    }

    /// <summary>A socket's failure as what handlers catch: an <see cref="IOException"/>, as a broken stream's.</summary>
    private static IOException Broken(SocketException e) => new($"The client's connection broke: {e.Message}", e);

    private void Cancel()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection was already over.
        }
    }

    private void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already gone.
        }
    }
}
