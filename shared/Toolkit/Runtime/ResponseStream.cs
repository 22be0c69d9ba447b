using System.Text.Json;
using Functions.Json;
using Functions.Runtime.Connection;

namespace Functions.Runtime;

/// <summary>
/// The body of a streamed response (the Runtime API's response mode "streaming"): each write goes to the Runtime API at
/// once as one HTTP chunk, so the caller has it while the function goes on, and a reader that does not keep up slows
/// the writes (the socket's send blocks) rather than growing anything. Nothing is sent until the first write: a
/// handler that throws before it is reported as any failed invocation; one that throws after it ends the stream with
/// the error trailers Lambda reads (Lambda-Runtime-Function-Error-Type and -Body). Wrap it in a StreamWriter or a
/// BufferedStream to send fewer, larger chunks.
/// </summary>
public sealed class ResponseStream : Stream
{
    /// <summary>The trailer with the error's type, sent after the last chunk when the function failed mid-stream.</summary>
    public const string ErrorTypeTrailer = "Lambda-Runtime-Function-Error-Type";

    /// <summary>The trailer with the error report (errorType, errorMessage, stackTrace) as base64 of its JSON.</summary>
    public const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";

    /// <summary>The request field that asks the Runtime API to take the response as a stream.</summary>
    public const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";

    private readonly RuntimeApiConnection _connection;
    private readonly RuntimeApiRequest _request;
    private readonly CancellationToken _stop;
    private bool _ended;

    internal ResponseStream(RuntimeApiConnection connection, string path, string contentType, CancellationToken stop)
    {
        _connection = connection;
        _stop = stop;
        _request = new RuntimeApiRequest("POST", path)
        {
            Headers =
            [
                new(ResponseModeHeader, "streaming"),
                new("Content-Type", contentType),
                new("Trailer", $"{ErrorTypeTrailer}, {ErrorBodyTrailer}"),
            ],
        };
    }

    /// <summary>Where the response goes: /2018-06-01/runtime/invocation/{id}/response.</summary>
    internal string Path => _request.Path;

    /// <summary>Whether the head has gone out: from here on, the invocation's answer is this stream.</summary>
    public bool Started { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public long Written { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_ended;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer) => Send(buffer, _stop);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends on the calling thread, as every call of the runtime does; <paramref name="cancellationToken"/> aborts a blocked send.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == _stop)
        {
            Send(buffer.Span, _stop);
            return ValueTask.CompletedTask;
        }
        // Either token ends a blocked send: a source linking them, for this write only.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop, cancellationToken);
        Send(buffer.Span, either.Token);
        return ValueTask.CompletedTask;
    }

    /// <summary>Every write is sent as it is made: nothing waits here to be flushed.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The last chunk: the response is whole. A stream nothing was written to is sent empty.</summary>
    internal RuntimeApiResponse Complete() => End([]);

    /// <summary>The last chunk with the error trailers: what the caller has received so far stays, the invocation failed.</summary>
    internal RuntimeApiResponse Fail(Exception error)
    {
        var report = ErrorReport.From(error);
        return End(
        [
            new(ErrorTypeTrailer, $"Runtime.{report.ErrorType}"),
            new(ErrorBodyTrailer, Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(report, FunctionsJson.Wire.ErrorReport))),
        ]);
    }

    private void Send(ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        if (data.IsEmpty)
        {
            return; // A zero-length chunk would end the body.
        }
        Begin(cancellationToken);
        _connection.SendChunk(_request, data, cancellationToken);
        Written += data.Length;
    }

    private void Begin(CancellationToken cancellationToken)
    {
        if (!Started)
        {
            _connection.BeginChunked(_request, cancellationToken);
            Started = true;
        }
    }

    private RuntimeApiResponse End(IReadOnlyList<KeyValuePair<string, string>> trailers)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        Begin(_stop);
        _ended = true;
        return _connection.EndChunked(_request, trailers, _stop);
    }
}
