using System.Buffers;
using System.Globalization;

namespace Functions.Tools.RuntimeApi.Http1;

/// <summary>
/// A request's body as it arrives: <see cref="Http1Request.ContentLength"/> bytes, or chunks decoded to their data with
/// the trailers after the last kept (RFC 9112 section 7.1). A client that asked to be told to go on (Expect:
/// 100-continue) is told so at the first read, so a body the handler never reads is never sent.
/// </summary>
public sealed class Http1Body : Stream
{
    private const int ChunkLineBytes = 8 * 1024;
    private const int TrailerBytes = 64 * 1024;

    private readonly Http1Connection _connection;
    private readonly Http1Request _request;
    private readonly bool _chunked;
    private long _left;
    private List<KeyValuePair<string, string>>? _trailers;

    internal Http1Body(Http1Connection connection, BodyFraming framing, Http1Request request)
    {
        _connection = connection;
        _request = request;
        _chunked = framing.Chunked;
        _left = framing.Length;
        IsComplete = !_chunked && _left == 0;
    }

    /// <summary>Whether the body was read to its end (trailers included).</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Whether the client was told to send a body it held back for 100 Continue.</summary>
    internal bool ContinueSent { get; private set; }

    internal IReadOnlyList<KeyValuePair<string, string>> Trailers => _trailers ?? [];

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (IsComplete || buffer.IsEmpty)
        {
            return 0;
        }
        // Reads end when the connection does: the listener aborts a connection by closing its socket.
        cancellationToken.ThrowIfCancellationRequested();
        if (_request.ExpectsContinue && !ContinueSent)
        {
            ContinueSent = true;
            await _connection.SendContinueAsync().ConfigureAwait(false);
        }
        if (_chunked && _left == 0)
        {
            _left = await ChunkSizeAsync().ConfigureAwait(false);
            if (_left == 0)
            {
                await ReadTrailersAsync().ConfigureAwait(false);
                IsComplete = true;
                return 0;
            }
        }
        var read = await _connection.ReadBodyAsync(buffer[..(int)Math.Min(buffer.Length, _left)]).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("The client closed the connection before the end of its request's body.");
        }
        _left -= read;
        if (_left == 0)
        {
            if (!_chunked)
            {
                IsComplete = true;
            }
            else if ((await _connection.ReadLineAsync(ChunkLineBytes).ConfigureAwait(false)).Length != 0)
            {
                throw new MalformedRequestException(400, "A chunk of the request's body is longer than its size says.");
            }
        }
        return read;
    }

    /// <summary>Reads what is left of the body and drops it, so the connection can carry the next request.</summary>
    internal async Task DrainAsync()
    {
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await ReadAsync(scratch).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task<long> ChunkSizeAsync()
    {
        var line = await _connection.ReadLineAsync(ChunkLineBytes).ConfigureAwait(false);
        var size = line.AsSpan();
        var extension = size.IndexOf(';');
        size = (extension < 0 ? size : size[..extension]).Trim(" \t");
        return size.Length is > 0 and <= 15 && long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw new MalformedRequestException(400, $"\"{line}\" is not a chunk size.");
    }

    private async Task ReadTrailersAsync()
    {
        var total = 0;
        while (true)
        {
            var line = await _connection.ReadLineAsync(ChunkLineBytes).ConfigureAwait(false);
            if (line.Length == 0)
            {
                return;
            }
            total += line.Length;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || total > TrailerBytes)
            {
                throw new MalformedRequestException(400, "The request's trailers are not \"Name: value\" lines within 64 KB.");
            }
            (_trailers ??= []).Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
