using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

using Functions.Tools.Hosting;

namespace Functions.Tools.DynamoDb;

/// <summary>
/// An embedded dynalite (a DynamoDB-compatible server on Node.js, installed by `npm ci`) on a free loopback port:
/// persisted under a folder, or in memory. It is supervised: it ends with this process however this process ends
/// (dynalite-host.js exits when its stdin closes), it refuses a data dir another process holds, and when it dies it
/// is started again on the same port and data. Disposing it kills it and waits for it to be gone.
/// </summary>
public sealed class Dynalite : IAsyncDisposable
{
    /// <summary>Node starts dynalite in well under a second; a cold disk or a busy machine gets thirty times that.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Killing is immediate; this only bounds the wait for the kernel to reap the process.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>LevelDB locks its folder as it opens the store, just after the server listens.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Waits between restarts that failed; after the last, the storage stays down until serve restarts.</summary>
    private static readonly TimeSpan[] RestartBackoff = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    /// <summary>Ports tried before giving up when each one is taken before dynalite binds it.</summary>
    private const int PortAttempts = 3;

    /// <summary>
    /// How long a dynalite that died of SIGINT or SIGTERM waits for this process to say it is stopping before it counts
    /// as a crash. Ctrl-C in a terminal signals the whole process group, dynalite with serve: the kernel reaps dynalite
    /// and serve's own handler runs in either order, a few milliseconds apart.
    /// </summary>
    private static readonly TimeSpan StopSignalGrace = TimeSpan.FromSeconds(1);

    /// <summary>The last lines dynalite printed, kept to explain a start that failed.</summary>
    private const int KeptOutputLines = 20;

    private const string HostScript = "dynalite-host.js";

    private readonly string _module;

    /// <summary>What reinstalls the node tools of the app it runs for: ./fn setup here, npm install in an app.</summary>
    private readonly string _repair;

    private readonly string _hostScript;
    private readonly Action<string> _notice;
    private readonly Queue<string> _output = new();
    private readonly Lock _gate = new();
    private readonly CancellationToken _stopping;
    private ChildProcess? _process;
    private bool _disposing;
    private volatile string? _unavailable;
    private Task _restarting = Task.CompletedTask;

    private Dynalite(string module, string hostScript, int port, string? dataDirectory, string repair, Action<string> notice, CancellationToken stopping)
    {
        _stopping = stopping;
        _module = module;
        _repair = repair;
        _hostScript = hostScript;
        Port = port;
        DataDirectory = dataDirectory;
        _notice = notice;
    }

    public int Port { get; }

    /// <summary>Where the tables live, or null when they live in memory and die with the process.</summary>
    public string? DataDirectory { get; }

    /// <summary>What AWS_ENDPOINT_URL_DYNAMODB and an SDK client's ServiceURL take.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The node process serving now.</summary>
    public int ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process?.Id ?? 0;
            }
        }
    }

    /// <summary>Why requests cannot be served now (it died and is starting again, or could not), or null when they can.</summary>
    public string? Unavailable => _unavailable;

    /// <summary>Times it was started again after it died.</summary>
    public int Restarts { get; private set; }

    /// <summary>Starts dynalite and returns once it accepts TCP connections (and, persisted, holds its folder).</summary>
    /// <param name="dataDirectory">A folder to persist tables in (created if missing); null keeps them in memory.</param>
    /// <param name="repository">The repository whose node_modules holds dynalite; null locates it.</param>
    /// <param name="cancellationToken">Cancels the start; once cancelled (the verb is stopping), a dynalite that dies is not started again.</param>
    /// <param name="notice">Where to say that it died and came back (serve's log); standard error when null.</param>
    public static async Task<Dynalite> StartAsync(
        string? dataDirectory = null, Repository? repository = null, CancellationToken cancellationToken = default, Action<string>? notice = null)
    {
        repository ??= Repository.Locate();
        var module = Path.Combine(repository.NodeModules, "dynalite");
        if (!NodeScript.Installed(repository, "dynalite"))
        {
            throw new DynaliteStartException($"dynalite is not installed ({module} is missing): run {repository.NodeSetup}.");
        }
        if (dataDirectory is not null)
        {
            dataDirectory = Path.GetFullPath(dataDirectory);
            Directory.CreateDirectory(dataDirectory);
            if (DataDirectoryHolder.Find(dataDirectory) is { } holder)
            {
                throw new DynaliteStartException(holder.Describe(Shown(dataDirectory)));
            }
        }

        var hostScript = NodeScript.Write(repository, HostScript);
        for (var attempt = 1; ; attempt++)
        {
            var dynalite = new Dynalite(module, hostScript, LoopbackPort.Free(), dataDirectory, repository.NodeSetup, notice ?? Console.Error.WriteLine, cancellationToken);
            try
            {
                await dynalite.LaunchAsync(cancellationToken).ConfigureAwait(false);
                return dynalite;
            }
            catch (DynaliteStartException) when (attempt < PortAttempts && dynalite.LostThePort())
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

    public async ValueTask DisposeAsync()
    {
        ChildProcess? process;
        lock (_gate)
        {
            _disposing = true;
            process = _process;
        }
        await _restarting.ConfigureAwait(false);
        lock (_gate)
        {
            process = _process ?? process; // A restart that finished meanwhile left its process here.
        }
        if (process is not null)
        {
            await StopAsync(process).ConfigureAwait(false);
        }
    }

    /// <summary>Starts one dynalite process on <see cref="Port"/> and waits until it serves.</summary>
    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        lock (_output)
        {
            _output.Clear();
        }
        ChildProcess process;
        try
        {
            process = ChildProcess.Start(Command());
        }
        catch (Win32Exception e)
        {
            throw Failure($"dynalite could not be started ({e.Message})");
        }
        lock (_gate)
        {
            _process = process;
        }
        await WaitUntilListeningAsync(process, cancellationToken).ConfigureAwait(false);
        if (DataDirectory is not null)
        {
            await WaitUntilItHoldsTheFolderAsync(process, cancellationToken).ConfigureAwait(false);
        }
        // From here on an exit is a crash to recover from (or a stop); one during the start was the start's failure.
        _ = RestartWhenItExitsAsync(process);
    }

    private ChildProcessStart Command()
    {
        string[] arguments = [_hostScript, _module, Port.ToString(CultureInfo.InvariantCulture)];
        return new ChildProcessStart("node", DataDirectory is null ? arguments : [.. arguments, DataDirectory])
        {
            OnLine = Keep,
            // Held open and never written: it closes when this process ends, and the host exits then.
            HoldInput = true,
        };
    }

    private async Task RestartWhenItExitsAsync(ChildProcess process)
    {
        await process.Exited.ConfigureAwait(false);
        OnExited(process);
    }

    private void OnExited(ChildProcess process)
    {
        lock (_gate)
        {
            if (_disposing || !ReferenceEquals(process, _process))
            {
                return;
            }
            _unavailable = "The local DynamoDB (dynalite) exited and is being started again on the same data; retry in a moment.";
            _restarting = Task.Run(() => RestartAsync(process));
        }
    }

    private async Task RestartAsync(ChildProcess dead)
    {
        if (EndedByStopSignal(dead) && await StopsWithinAsync(StopSignalGrace).ConfigureAwait(false))
        {
            // The same Ctrl-C (or SIGTERM to the group) that stops this process: a stop, not a crash.
            dead.Dispose();
            return;
        }
        _notice($"DynamoDB (dynalite, pid {dead.Id}) {dead.Exit}; starting it again on the same {(DataDirectory is null ? "port (its in-memory tables are gone)" : "data and port")}.");
        dead.Dispose();
        var clock = Stopwatch.StartNew();
        DynaliteStartException? last = null;
        foreach (var wait in RestartBackoff)
        {
            await Task.Delay(wait).ConfigureAwait(false);
            lock (_gate)
            {
                if (_disposing)
                {
                    return;
                }
            }
            try
            {
                await LaunchAsync(CancellationToken.None).ConfigureAwait(false);
                Restarts++;
                _unavailable = null;
                _notice($"DynamoDB is back (pid {ProcessId}) after {clock.ElapsedMilliseconds} ms.");
                return;
            }
            catch (DynaliteStartException e)
            {
                last = e;
                ChildProcess? failed;
                lock (_gate)
                {
                    failed = _process;
                    _process = null;
                }
                if (failed is not null)
                {
                    await StopAsync(failed).ConfigureAwait(false);
                }
            }
        }
        _unavailable = "The local DynamoDB (dynalite) exited and could not be started again; see serve's log, then restart fn serve.";
        _notice($"DynamoDB could not be started again after {RestartBackoff.Length} tries: {last?.Message}");
    }

    /// <summary>SIGINT (2) or SIGTERM (15).</summary>
    private static bool EndedByStopSignal(ChildProcess process) => process.Exit?.Signal is 2 or 15;

    /// <summary>Whether this process starts stopping (the verb is cancelled, or this is disposed) within <paramref name="grace"/>.</summary>
    private async Task<bool> StopsWithinAsync(TimeSpan grace)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            lock (_gate)
            {
                if (_disposing || _stopping.IsCancellationRequested)
                {
                    return true;
                }
            }
            if (clock.Elapsed >= grace)
            {
                return false;
            }
            await Task.Delay(ProbeInterval).ConfigureAwait(false);
        }
    }

    private static async Task StopAsync(ChildProcess process)
    {
        try
        {
            await process.StopAsync(ExitTimeout).ConfigureAwait(false);
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Whether dynalite exited because its port was taken (see <see cref="LoopbackPort.Free"/>).</summary>
    private bool LostThePort()
    {
        ChildProcess? process;
        lock (_gate)
        {
            process = _process;
        }
        lock (_output)
        {
            return process is { HasExited: true } && _output.Any(line => line.Contains("EADDRINUSE", StringComparison.Ordinal));
        }
    }

    private async Task WaitUntilListeningAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Waiting once more drains the pipes, so the error shows everything dynalite printed.
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw Failure($"dynalite {process.Exit} before accepting connections");
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

    /// <summary>
    /// Two serves started at the same moment both find the folder free; only one LevelDB gets the lock. The other
    /// learns it here, and says who won, instead of failing on every request later.
    /// </summary>
    private async Task WaitUntilItHoldsTheFolderAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!DataDirectoryHolder.IsHeldBy(DataDirectory!, process.Id))
        {
            if (DataDirectoryHolder.Find(DataDirectory!, except: process.Id) is { } other)
            {
                throw new DynaliteStartException(other.Describe(Shown(DataDirectory!)));
            }
            if (deadline.Elapsed > LockTimeout)
            {
                return; // No lock to see (not Linux, or a store that does not lock): serve as before.
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

    private void Keep(string line)
    {
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>A folder as the user would type it: relative to the current directory when it is under it.</summary>
    private static string Shown(string folder)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, folder);
        return relative.StartsWith("..", StringComparison.Ordinal) ? folder : relative;
    }

    private DynaliteStartException Failure(string what)
    {
        string output;
        lock (_output)
        {
            output = _output.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _output);
        }
        return new DynaliteStartException(
            $"{what}. Is Node.js installed and on PATH, and node_modules complete? Run {_repair} to repair it."
            + $"{Environment.NewLine}dynalite said:{Environment.NewLine}{output}");
    }
}
