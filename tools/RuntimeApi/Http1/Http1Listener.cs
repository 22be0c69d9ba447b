using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Functions.Tools.RuntimeApi.Http1;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 for the Runtime API: each connection read and answered by a loop of its own
/// (<see cref="Http1Connection"/>), each request handed to one delegate. The Runtime API's peers are function
/// processes on this machine asking one thing at a time; Kestrel's general machinery (pipelines, routing, a context
/// per request) cost serve more CPU per invocation than the function itself.
/// </summary>
public sealed class Http1Listener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Func<Http1Request, Http1Connection, Task> _handle;
    private readonly ConcurrentDictionary<Http1Connection, bool> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private Http1Listener(Socket socket, Func<Http1Request, Http1Connection, Task> handle)
    {
        _socket = socket;
        _handle = handle;
        HostAndPort = $"127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}";
        _accepting = AcceptAsync();
    }

    /// <summary>Where it listens: host and port.</summary>
    public string HostAndPort { get; }

    /// <summary>Listens on a free port of 127.0.0.1 and hands every request to <paramref name="handle"/>, which answers it.</summary>
    public static Http1Listener Start(Func<Http1Request, Http1Connection, Task> handle)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Listen(512);
            return new Http1Listener(socket, handle);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Stops listening and ends every connection at once: a function still waiting on /next is not waited for.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (var connection in _open.Keys)
        {
            connection.Abort();
        }
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            client.NoDelay = true;
            var connection = new Http1Connection(client, _stopping.Token);
            _open[connection] = true;
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Http1Connection connection)
    {
        try
        {
            await connection.ServeAsync(_handle).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left, or the listener stopped: nothing to answer, nobody to answer.
        }
        catch (Exception e)
        {
            await connection.FailAsync(e).ConfigureAwait(false);
        }
        finally
        {
            _open.TryRemove(connection, out _);
            connection.Dispose();
        }
    }
}
