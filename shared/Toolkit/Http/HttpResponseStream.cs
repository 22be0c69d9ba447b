using Functions.Runtime;

namespace Functions.Http;

/// <summary>
/// An HTTP response a handler streams (a function URL in invoke mode RESPONSE_STREAM): the status, headers and cookies
/// set before the first write go out with it as the prelude, the body as it is written, each write at once. Set them
/// first; once the first byte is out they can no longer change, and an exception then ends the stream with the error.
/// </summary>
public sealed class HttpResponseStream : Stream
{
    private readonly InvocationContext _context;
    private ResponseStream? _body;

    internal HttpResponseStream(InvocationContext context) => _context = context;

    /// <summary>200 unless set before the first write.</summary>
    public int StatusCode { get; set; } = 200;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each becomes a set-cookie header.</summary>
    public List<string> Cookies { get; } = [];

    /// <summary>Whether the prelude has gone out: the status and headers are the caller's now.</summary>
    public bool HasStarted => _body is not null;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _body?.Written ?? 0; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer) => Start().Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Start().WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Every write is sent as it is made.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Sends the prelude now if nothing has been written: a response with no body still has its status.</summary>
    internal ResponseStream Start()
    {
        if (_body is null)
        {
            if (StatusCode is < 100 or > 599)
            {
                throw new InvalidOperationException($"{StatusCode} is not an HTTP status: set HttpResponseStream.StatusCode to one from 100 to 599.");
            }
            _body = HttpResponseStreaming.Open(_context, StatusCode, Headers.Count > 0 ? new Dictionary<string, string>(Headers) : null, Cookies.Count > 0 ? [.. Cookies] : null);
        }
        return _body;
    }
}
