using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Functions.Runtime.Connection;

/// <summary>
/// HTTP/1.1 (RFC 9112) to the Runtime API over one kept-alive connection, on the calling thread.
/// The Runtime API is a loopback peer that speaks plain HTTP/1.1, one exchange at a time: a general-purpose client
/// (HttpClient) costs a function's cold start more than anything else it does before its first event — its connection
/// pool, its I/O thread and thread-pool hops, and ~4 MB of code in the binary — so the runtime writes its requests and
/// reads the answers itself. A request on a connection the server has since closed is sent again once on a new one, as
/// any HTTP client does with an idle kept-alive connection.
/// </summary>
internal sealed class RuntimeApiConnection : IDisposable
{
    /// <summary>A response head larger than this is not the Runtime API's.</summary>
    private const int HeadLimit = 64 * 1024;

    /// <summary>Requests with bodies up to this go out as one send; larger ones as the head and then the body.</summary>
    private const int CoalesceLimit = 64 * 1024;

    private readonly RuntimeApiAddress _address;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;
    private bool _reused;
    private bool _answering;
    // Sent behind the last request, its answer not read yet (see SendThen).
    private RuntimeApiRequest? _pipelined;
    private int _start;
    private int _end;

    public RuntimeApiConnection(RuntimeApiAddress address)
    {
        _address = address;
    }

    /// <summary>Sends one request and reads its whole response; cancelling aborts the connection.</summary>
    public RuntimeApiResponse Send(RuntimeApiRequest request, CancellationToken cancellationToken) =>
        Guarded(request, cancellationToken, () =>
        {
            try
            {
                return Exchange(request, cancellationToken);
            }
            catch (StaleConnectionException) when (!cancellationToken.IsCancellationRequested)
            {
                Close();
                return Exchange(request, cancellationToken);
            }
        });

    /// <summary>
    /// Sends <paramref name="request"/> with <paramref name="then"/> right behind it, in one write when they fit, and
    /// reads the first's answer; <see cref="ReadPipelined"/> reads the second's. HTTP/1.1 lets a client send its next
    /// request before the answer to the last one (RFC 9112 section 9.3.2): a function's answer and its next /next so cost one
    /// send, and the server reads both at once. A server that closes after the first answer never read the second: it is
    /// then not pending, and is sent again as any request.
    /// </summary>
    public RuntimeApiResponse SendThen(RuntimeApiRequest request, RuntimeApiRequest then, CancellationToken cancellationToken) =>
        Guarded(request, cancellationToken, () =>
        {
            try
            {
                return Exchange(request, then, cancellationToken);
            }
            catch (StaleConnectionException) when (!cancellationToken.IsCancellationRequested)
            {
                Close();
                return Exchange(request, then, cancellationToken);
            }
        });

    /// <summary>The request <see cref="SendThen"/> sent behind the last one, while its answer is unread; null otherwise.</summary>
    public RuntimeApiRequest? Pipelined => _pipelined;

    /// <summary>Reads the answer to the <see cref="Pipelined"/> request.</summary>
    public RuntimeApiResponse ReadPipelined(CancellationToken cancellationToken)
    {
        var request = _pipelined ?? throw new InvalidOperationException("No request was sent behind another.");
        return Guarded(request, cancellationToken, () =>
        {
            try
            {
                var socket = _socket ?? throw new StaleConnectionException();
                _answering = false;
                RuntimeApiResponse response;
                try
                {
                    response = Read(socket, request, reused: true);
                }
                catch (SocketException) when (!_answering)
                {
                    throw new StaleConnectionException();
                }
                _pipelined = null;
                if (!response.KeepAlive)
                {
                    Close();
                }
                return response;
            }
            // Closed with no byte of an answer: the server let the connection go without reading the request behind
            // (a bodiless GET, safe to send again), as it may an idle one.
            catch (StaleConnectionException) when (!cancellationToken.IsCancellationRequested)
            {
                Close();
                return Exchange(request, cancellationToken);
            }
        });
    }

    /// <summary>
    /// Sends the head of a request whose body follows in chunks (RFC 9112 section 7.1): then <see cref="SendChunk"/> for
    /// each piece and <see cref="EndChunked"/>. A body sent so cannot be sent again, so a kept-alive connection the
    /// server has closed meanwhile (a handler that ran past its idle timeout) is replaced before, not retried after.
    /// </summary>
    public void BeginChunked(RuntimeApiRequest request, CancellationToken cancellationToken) =>
        Guarded(request, cancellationToken, () =>
        {
            if (_socket is { } open && ClosedByPeer(open))
            {
                Close();
            }
            var socket = _socket ??= Connect();
            _answering = false;
            SendAll(socket, Encoding.UTF8.GetBytes(Head(request, chunked: true)));
            return true;
        });

    /// <summary>One piece of the body <see cref="BeginChunked"/> announced, sent at once (split past 64 KB).</summary>
    public void SendChunk(RuntimeApiRequest request, ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var piece = data[..Math.Min(data.Length, CoalesceLimit)];
            var sizeLine = piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n";
            var frame = ArrayPool<byte>.Shared.Rent(sizeLine.Length + piece.Length + 2);
            try
            {
                var length = Encoding.ASCII.GetBytes(sizeLine, frame);
                piece.CopyTo(frame.AsSpan(length));
                length += piece.Length;
                frame[length++] = (byte)'\r';
                frame[length++] = (byte)'\n';
                Guarded(request, cancellationToken, () =>
                {
                    SendAll(_socket ?? throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the chunked body was never begun."), frame.AsSpan(0, length));
                    return true;
                });
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
            data = data[piece.Length..];
        }
    }

    /// <summary>The last chunk, with <paramref name="trailers"/> after it, and the server's answer to the whole request.</summary>
    public RuntimeApiResponse EndChunked(RuntimeApiRequest request, IReadOnlyList<KeyValuePair<string, string>> trailers, CancellationToken cancellationToken) =>
        Guarded(request, cancellationToken, () =>
        {
            var socket = _socket ?? throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the chunked body was never begun.");
            var end = new StringBuilder("0\r\n");
            foreach (var (name, value) in trailers)
            {
                end.Append(name).Append(": ").Append(value).Append("\r\n");
            }
            SendAll(socket, Encoding.UTF8.GetBytes(end.Append("\r\n").ToString()));
            var response = Read(socket, request, reused: false);
            _reused = true;
            if (!response.KeepAlive)
            {
                Close();
            }
            return response;
        });

    public void Dispose() => Close();

    /// <summary>Runs one step of an exchange so that cancelling aborts the connection and a broken one is closed and said so.</summary>
    private T Guarded<T>(RuntimeApiRequest request, CancellationToken cancellationToken, Func<T> step)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var abort = cancellationToken.CanBeCanceled ? cancellationToken.Register(static c => ((RuntimeApiConnection)c!).Abort(), this) : default;
        try
        {
            return step();
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is SocketException or ObjectDisposedException or RuntimeApiConnectionException or StaleConnectionException)
        {
            Close();
            throw new OperationCanceledException("The request to the Runtime API was cancelled.", e, cancellationToken);
        }
        catch (SocketException e)
        {
            Close();
            throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: {e.Message}", e);
        }
        catch (RuntimeApiConnectionException)
        {
            Close();
            throw;
        }
    }

    /// <summary>Readable with nothing to read: the peer has closed its side (a kept-alive connection it let go).</summary>
    private static bool ClosedByPeer(Socket socket) => socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;

    private RuntimeApiResponse Exchange(RuntimeApiRequest request, CancellationToken cancellationToken) =>
        Exchange(request, then: null, cancellationToken);

    private RuntimeApiResponse Exchange(RuntimeApiRequest request, RuntimeApiRequest? then, CancellationToken cancellationToken)
    {
        if (_pipelined is not null)
        {
            throw new InvalidOperationException($"{_pipelined.Method} {_pipelined.Path} was sent and its answer is unread.");
        }
        var socket = _socket ??= Connect();
        // A cancellation that came while connecting found no socket to abort.
        cancellationToken.ThrowIfCancellationRequested();
        var reused = _reused;
        _answering = false;
        RuntimeApiResponse response;
        try
        {
            Write(socket, request, then);
            response = Read(socket, request, reused);
        }
        // Reset or closed before a byte of the answer came: the server had dropped the idle connection.
        catch (SocketException) when (reused && !_answering)
        {
            throw new StaleConnectionException();
        }
        _reused = true;
        if (!response.KeepAlive)
        {
            Close();
        }
        else
        {
            _pipelined = then;
        }
        return response;
    }

    private Socket Connect()
    {
        _reused = false;
        _start = _end = 0;
        return TcpConnections.Connect(_address.EndPoint);
    }

    /// <summary>The request line and header fields: a JSON body's length, or chunked framing, and the request's own fields.</summary>
    private string Head(RuntimeApiRequest request, bool chunked)
    {
        var head = new StringBuilder(256)
            .Append(request.Method).Append(' ').Append(_address.PathPrefix).Append(request.Path).Append(" HTTP/1.1\r\nHost: ").Append(_address.HostAndPort).Append("\r\n");
        if (chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
        }
        else if (request.Body is { } body)
        {
            head.Append("Content-Type: application/json\r\nContent-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        foreach (var (name, value) in request.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        return head.Append("\r\n").ToString();
    }

    /// <summary>The request, and the bodiless one to send behind it if any, in one send when they fit in 64 KB.</summary>
    private void Write(Socket socket, RuntimeApiRequest request, RuntimeApiRequest? then)
    {
        if (then?.Body is not null)
        {
            throw new InvalidOperationException("Only a bodiless request is sent behind another.");
        }
        var head = Head(request, chunked: false);
        var behind = then is null ? "" : Head(then, chunked: false);
        var headLength = Encoding.UTF8.GetByteCount(head);
        var bodyLength = request.Body?.Length ?? 0;
        var behindLength = Encoding.UTF8.GetByteCount(behind);
        if (headLength + bodyLength + behindLength <= CoalesceLimit)
        {
            var whole = ArrayPool<byte>.Shared.Rent(headLength + bodyLength + behindLength);
            try
            {
                Encoding.UTF8.GetBytes(head, whole);
                request.Body?.Span.CopyTo(whole.AsSpan(headLength));
                Encoding.UTF8.GetBytes(behind, whole.AsSpan(headLength + bodyLength));
                SendAll(socket, whole.AsSpan(0, headLength + bodyLength + behindLength));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(whole);
            }
            return;
        }
        SendAll(socket, Encoding.UTF8.GetBytes(head));
        SendAll(socket, request.Body!.Value.Span);
        if (then is not null)
        {
            SendAll(socket, Encoding.UTF8.GetBytes(behind));
        }
    }

    private static void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data)..];
        }
    }

    private RuntimeApiResponse Read(Socket socket, RuntimeApiRequest request, bool reused)
    {
        while (true)
        {
            var headEnd = FillHead(socket, request, reused);
            var head = ResponseHead.Parse(_buffer.AsSpan(_start, headEnd - _start), request);
            _start = headEnd + 4;
            if (head.Status is >= 100 and < 200)
            {
                continue; // 100 Continue and friends: the real answer follows.
            }
            var body = head.Chunked ? ReadChunked(socket, request)
                : head.ContentLength is { } length ? ReadExactly(socket, request, length)
                : ReadToClose(socket);
            return new RuntimeApiResponse(head.Status, head.Headers, body, head.KeepAlive && (head.Chunked || head.ContentLength is not null));
        }
    }

    /// <summary>Receives until the buffer holds a whole head; returns the offset of its closing CRLFCRLF.</summary>
    private int FillHead(Socket socket, RuntimeApiRequest request, bool mayBeStale)
    {
        var searched = _start;
        while (true)
        {
            var found = _buffer.AsSpan(searched, _end - searched).IndexOf("\r\n\r\n"u8);
            if (found >= 0)
            {
                return searched + found;
            }
            searched = Math.Max(_start, _end - 3);
            if (_end == _buffer.Length)
            {
                if (_start == 0)
                {
                    throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the response head is over {HeadLimit / 1024} KB, not the Runtime API's.");
                }
                Compact();
                searched = Math.Max(_start, _end - 3);
            }
            var received = Receive(socket, _buffer.AsSpan(_end));
            if (received == 0)
            {
                if (mayBeStale && !_answering)
                {
                    throw new StaleConnectionException();
                }
                throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the Runtime API closed the connection before it answered.");
            }
            _end += received;
        }
    }

    private void Compact()
    {
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
    }

    private byte[] ReadExactly(Socket socket, RuntimeApiRequest request, long length)
    {
        if (length > Array.MaxLength)
        {
            throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: a body of {length} bytes is more than a function can hold.");
        }
        var body = new byte[length];
        var filled = TakeBuffered(body);
        while (filled < body.Length)
        {
            var received = Receive(socket, body.AsSpan(filled));
            if (received == 0)
            {
                throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the connection closed {filled} bytes into a {length}-byte body.");
            }
            filled += received;
        }
        return body;
    }

    /// <summary>A chunked body (RFC 9112 section 7.1), its trailers read and dropped.</summary>
    private byte[] ReadChunked(Socket socket, RuntimeApiRequest request)
    {
        var body = new ArrayBufferWriter<byte>();
        while (true)
        {
            var line = ReadLine(socket, request);
            var sizeEnd = line.AsSpan().IndexOfAny(";\t ");
            if (!long.TryParse(sizeEnd < 0 ? line : line[..sizeEnd], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0 || size > Array.MaxLength - body.WrittenCount)
            {
                throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: a chunk size that is not one ('{ResponseHead.Shorten(line)}').");
            }
            if (size == 0)
            {
                while (ReadLine(socket, request).Length > 0)
                {
                    // Trailer fields: nothing the runtime reads.
                }
                return body.WrittenSpan.ToArray();
            }
            var chunk = body.GetSpan((int)size)[..(int)size];
            var filled = TakeBuffered(chunk);
            while (filled < chunk.Length)
            {
                var received = Receive(socket, chunk[filled..]);
                if (received == 0)
                {
                    throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the connection closed inside a chunk.");
                }
                filled += received;
            }
            body.Advance((int)size);
            if (ReadLine(socket, request).Length != 0)
            {
                throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: a chunk longer than its size.");
            }
        }
    }

    /// <summary>A body without a length: all the server sends until it closes (the connection then is done).</summary>
    private byte[] ReadToClose(Socket socket)
    {
        var body = new ArrayBufferWriter<byte>();
        body.Write(_buffer.AsSpan(_start, _end - _start));
        _start = _end = 0;
        int received;
        while ((received = Receive(socket, body.GetSpan(16 * 1024))) > 0)
        {
            body.Advance(received);
        }
        return body.WrittenSpan.ToArray();
    }

    private string ReadLine(Socket socket, RuntimeApiRequest request)
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
            if (_end == _buffer.Length)
            {
                if (_start == 0)
                {
                    throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: a chunk line over {_buffer.Length} bytes.");
                }
                Compact();
            }
            var received = Receive(socket, _buffer.AsSpan(_end));
            if (received == 0)
            {
                throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the connection closed inside a chunked body.");
            }
            _end += received;
        }
    }

    /// <summary>Moves what the buffer already holds past the head into <paramref name="destination"/>.</summary>
    private int TakeBuffered(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        return count;
    }

    private int Receive(Socket socket, Span<byte> into)
    {
        TcpConnections.QuickAck(socket);
        var received = socket.Receive(into);
        _answering |= received > 0;
        return received;
    }

    /// <summary>Ends a blocked send or receive from another thread: the way a cancelled request stops.</summary>
    private void Abort()
    {
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing is blocked on it.
        }
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _pipelined = null;
        _reused = false;
        _start = _end = 0;
    }

    /// <summary>A kept-alive connection the server had closed before this request reached it: try once on a new one.</summary>
    private sealed class StaleConnectionException : Exception;
}
