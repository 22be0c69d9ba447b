using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Functions.Tools.Hosting;

/// <summary>
/// What a front door answers in place of a refusal Kestrel makes on its own, before any application code runs: a
/// request line or headers over its limits (414, 431), a request it cannot parse (400), a client too slow to send its
/// headers (408). Kestrel sends those with no body and offers no hook to change them; an emulated AWS service must
/// answer them in its own shape (HTTP API's {"message":...}, Lambda's x-amzn-ErrorType), or SDKs report an unknown error.
/// </summary>
/// <param name="Status">The status to answer with (usually Kestrel's own).</param>
/// <param name="Headers">Header lines besides the status line, Content-Length and Connection, e.g. "content-type: application/json".</param>
public sealed record RefusalAnswer(int Status, IReadOnlyList<string> Headers, byte[] Body);

/// <summary>
/// Replaces Kestrel's bare refusals with the front door's own answers, at the connection: Kestrel's writes are held
/// while no request of the connection is in the application, and a held response that is a bodyless error is
/// rewritten; everything the application writes passes through untouched.
/// </summary>
public static class ServerRefusals
{
    private static readonly byte[] StatusLinePrefix = "HTTP/1.1 "u8.ToArray();
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    /// <summary>Rewrites refusals on connections accepted by <paramref name="listen"/>; <paramref name="answer"/> gives the answer for a status.</summary>
    public static void Rewrite(ListenOptions listen, Func<int, RefusalAnswer> answer)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            var state = new ConnectionState();
            connection.Features.Set(state);
            connection.Transport = new Pipe(connection.Transport.Input, new RewritingWriter(connection.Transport.Output, state, answer));
            return next(connection);
        });
    }

    /// <summary>
    /// Marks each request as in the application from the moment it arrives there until its response is complete, so
    /// what the application sends is never taken for a refusal. Add it first in the app's pipeline.
    /// </summary>
    public static void MarkApplicationResponses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((http, next) =>
        {
            if (http.Features.Get<ConnectionState>() is { } state)
            {
                state.InApplication = true;
                http.Response.OnCompleted(() =>
                {
                    state.InApplication = false;
                    return Task.CompletedTask;
                });
            }
            return next(http);
        });
    }

    /// <summary>
    /// The answer for a bodyless HTTP/1.1 error response Kestrel wrote in <paramref name="held"/>, or null when it is
    /// something else (an interim response, HTTP/2 frames).
    /// </summary>
    internal static byte[]? Replacement(ReadOnlySpan<byte> held, Func<int, RefusalAnswer> answer)
    {
        var end = held.IndexOf(EndOfHead);
        if (!held.StartsWith(StatusLinePrefix) || end < 0 || end + EndOfHead.Length != held.Length
            || held.Length < StatusLinePrefix.Length + 3
            || !int.TryParse(held.Slice(StatusLinePrefix.Length, 3), System.Globalization.NumberStyles.None, null, out var status)
            || status < 400)
        {
            return null;
        }
        var head = Encoding.ASCII.GetString(held[..end]);
        if (!head.Contains("\r\nContent-Length: 0", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var reply = answer(status);
        var text = new StringBuilder()
            .Append("HTTP/1.1 ").Append(reply.Status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(reply.Status)).Append("\r\n");
        foreach (var line in reply.Headers)
        {
            text.Append(line).Append("\r\n");
        }
        // Kestrel closes the connection after a refusal: the request it could not read leaves the stream unusable.
        text.Append("Content-Length: ").Append(reply.Body.Length).Append("\r\nConnection: close\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(text.ToString()), .. reply.Body];
    }

    /// <summary>Whether a request of the connection is in the application now.</summary>
    private sealed class ConnectionState
    {
        public volatile bool InApplication;
    }

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>
    /// Kestrel's output for one connection. Outside the application its writes are held until flushed, then passed on
    /// whole or rewritten; a refusal is written in one flush, and Kestrel writes nothing else outside the application.
    /// </summary>
    private sealed class RewritingWriter(PipeWriter inner, ConnectionState state, Func<int, RefusalAnswer> answer) : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _held = new();
        private bool _holding;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            _holding = !state.InApplication;
            return _holding ? _held.GetMemory(sizeHint) : inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            _holding = !state.InApplication;
            return _holding ? _held.GetSpan(sizeHint) : inner.GetSpan(sizeHint);
        }

        public override void Advance(int bytes)
        {
            if (_holding)
            {
                _held.Advance(bytes);
            }
            else
            {
                inner.Advance(bytes);
            }
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            PassOnHeld();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            PassOnHeld();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            PassOnHeld();
            return inner.CompleteAsync(exception);
        }

        private void PassOnHeld()
        {
            if (_held.WrittenCount == 0)
            {
                return;
            }
            if (Replacement(_held.WrittenSpan, answer) is { } replacement)
            {
                inner.Write(replacement);
            }
            else
            {
                inner.Write(_held.WrittenSpan);
            }
            _held.ResetWrittenCount();
        }
    }
}
