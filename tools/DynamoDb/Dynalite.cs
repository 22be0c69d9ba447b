using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Functions.Tools.DynamoDb;

/// <summary>
/// An embedded dynalite (a DynamoDB-compatible server on Node.js, installed by `npm ci`) on a free loopback port:
/// persisted under a folder, or in memory. Disposing it kills the process tree and waits for it to be gone.
/// </summary>
public sealed class Dynalite : IAsyncDisposable
{
    /// <summary>Node starts dynalite in well under a second; a cold disk or a busy machine gets thirty times that.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Killing is immediate; this only bounds the wait for the kernel to reap the process.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Ports tried before giving up when each one is taken before dynalite binds it.</summary>
    private const int PortAttempts = 3;

    /// <summary>The last lines dynalite printed, kept to explain a start that failed.</summary>
    private const int KeptOutputLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private Dynalite(Process process, int port, string? dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    /// <summary>Where the tables live, or null when they live in memory and die with the process.</summary>
    public string? DataDirectory { get; }

    /// <summary>What AWS_ENDPOINT_URL_DYNAMODB and an SDK client's ServiceURL take.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Starts dynalite and returns once it accepts TCP connections.</summary>
    /// <param name="dataDirectory">A folder to persist tables in (created if missing); null keeps them in memory.</param>
    /// <param name="repository">The repository whose node_modules holds dynalite; null locates it.</param>
    public static async Task<Dynalite> StartAsync(
        string? dataDirectory = null, Repository? repository = null, CancellationToken cancellationToken = default)
    {
        var executable = Path.Combine((repository ?? Repository.Locate()).NodeModules, ".bin", "dynalite");
        if (!File.Exists(executable))
        {
            throw new UserError($"dynalite is not installed ({executable} is missing): run ./fn setup.");
        }
        if (dataDirectory is not null)
        {
            dataDirectory = Path.GetFullPath(dataDirectory);
            Directory.CreateDirectory(dataDirectory);
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var dynalite = new Dynalite(Launch(executable, port, dataDirectory), port, dataDirectory);
            try
            {
                await dynalite.WaitUntilListeningAsync(cancellationToken).ConfigureAwait(false);
                return dynalite;
            }
            catch (UserError) when (attempt < PortAttempts && dynalite.LostThePort())
            {
                // Another process took the port between our probe and dynalite's bind: try another one.
                await dynalite.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await dynalite.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Whether dynalite exited because its port was taken (see <see cref="FreeLoopbackPort"/>).</summary>
    private bool LostThePort()
    {
        lock (_output)
        {
            return _process.HasExited && _output.Any(line => line.Contains("EADDRINUSE", StringComparison.Ordinal));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // dynalite's bin entry is a node script; its tree is node and whatever node started.
                _process.Kill(entireProcessTree: true);
            }
            using var timeout = new CancellationTokenSource(ExitTimeout);
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        // It exited between HasExited and Kill, or the process was never started: nothing left to stop.
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>
    /// Binding port 0 makes the kernel choose a free port. It is released before dynalite binds it, so another
    /// process (or an outgoing connection's ephemeral port, under load) could take it in between; dynalite then exits
    /// with EADDRINUSE and the start tries another port.
    /// </summary>
    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static Process Launch(string executable, int port, string? dataDirectory)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--host");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        if (dataDirectory is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(dataDirectory);
        }
        return new Process { StartInfo = start, EnableRaisingEvents = true };
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        // Both pipes are read from the start: an unread pipe that fills up would block dynalite.
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        try
        {
            _process.Start();
        }
        catch (Win32Exception e)
        {
            throw Failure($"dynalite could not be started ({e.Message})");
        }
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                // Waiting once more drains the pipes, so the error shows everything dynalite printed.
                await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw Failure($"dynalite exited with code {_process.ExitCode} before accepting connections");
            }
            if (await AcceptsConnectionsAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            if (deadline.Elapsed > StartTimeout)
            {
                throw Failure($"dynalite did not accept connections on {Endpoint} within {StartTimeout.TotalSeconds:0} s");
            }
            await Task.Delay(ProbeInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private UserError Failure(string what)
    {
        string output;
        lock (_output)
        {
            output = _output.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _output);
        }
        return new UserError(
            $"{what}. Is Node.js installed and on PATH, and node_modules complete? Run ./fn setup (npm ci) to repair it."
            + $"{Environment.NewLine}dynalite said:{Environment.NewLine}{output}");
    }
}
