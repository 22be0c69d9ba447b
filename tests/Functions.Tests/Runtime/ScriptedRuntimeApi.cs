using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Functions.Tests.Runtime;

/// <summary>
/// A Runtime API on a bare socket that answers each request with exactly the bytes a test scripts: for the framings
/// Kestrel never writes (chunked /next with trailers, Connection: close, a closed kept-alive connection, no HTTP at all).
/// Every request is recorded with the number of the connection it came on.
/// </summary>
internal sealed class ScriptedRuntimeApi : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ScriptedRequest, ScriptedReply> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    /// <param name="answer">The reply to each request; a reply that closes ends its connection after it is written.</param>
    public ScriptedRuntimeApi(Func<ScriptedRequest, ScriptedReply> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string HostAndPort => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public ConcurrentQueue<ScriptedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var connection = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket, connection));
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        using var _ = socket;
        using var stream = new NetworkStream(socket);
        var pending = new List<byte>();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = IndexOf(pending, "\r\n\r\n"u8.ToArray())) < 0)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    pending.AddRange(buffer.AsSpan(0, read));
                }
                var head = Encoding.ASCII.GetString(pending.GetRange(0, headEnd).ToArray()).Split("\r\n");
                var headers = head.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
                pending.RemoveRange(0, headEnd + 4);
                while (pending.Count < length)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    pending.AddRange(buffer.AsSpan(0, read));
                }
                var parts = head[0].Split(' ');
                var request = new ScriptedRequest(parts[0], parts[1], headers, pending.GetRange(0, length).ToArray(), connection);
                pending.RemoveRange(0, length);
                Requests.Enqueue(request);
                var reply = _answer(request);
                if (reply.Bytes.Length > 0)
                {
                    await stream.WriteAsync(reply.Bytes, _stop.Token);
                }
                if (reply.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The client went away, or the test is over.
        }
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }
            if (match)
            {
                return i;
            }
        }
        return -1;
    }
}

internal sealed record ScriptedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Connection)
{
    public bool IsNext => Method == "GET" && Path.EndsWith("/invocation/next", StringComparison.Ordinal);
}

/// <summary>Bytes to write back, then whether to close the connection.</summary>
internal sealed record ScriptedReply(byte[] Bytes, bool Close = false)
{
    public static ScriptedReply Text(string text, bool close = false) => new(Encoding.UTF8.GetBytes(text), close);

    /// <summary>An event for /next, framed with Content-Length.</summary>
    public static ScriptedReply Event(string requestId, string body, string extraHeaders = "", bool close = false) =>
        Text($"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: {requestId}\r\nLambda-Runtime-Deadline-Ms: {DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()}\r\n{extraHeaders}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}", close);

    public static ScriptedReply Accepted(bool close = false) => Text("HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n", close);
}
