using Functions.Build.Processes;

namespace Functions.Build;

/// <summary>
/// Warm build servers for a long-running command (./fn serve): the MSBuild server, reused MSBuild nodes and the
/// compiler server, so a rebuild after an edit skips starting MSBuild, evaluating the SDK and loading Roslyn again
/// (Hello in JIT mode: 5.5 s a publish without them, 2.1-2.5 s with them). Ordinary commands build as the environment
/// says; CI machines turn these servers off so that no process outlives a build.
/// </summary>
public sealed class BuildServers : IAsyncDisposable
{
    private const string NodeReuseOff = "MSBUILDDISABLENODEREUSE";
    private const string MsBuildServer = "DOTNET_CLI_USE_MSBUILD_SERVER";
    private const string SharedCompilation = "UseSharedCompilation";

    /// <summary>Marks the processes this command's builds start (servers inherit it), so the ones left can be found.</summary>
    private const string OwnerVariable = "FN_BUILD_SERVERS_OWNER";

    private readonly Func<string, string?> _environment;
    private readonly string _owner = $"{System.Environment.ProcessId}-{Guid.NewGuid():N}";
    private int _used;

    /// <param name="environment">The environment this process started in (tests pass another).</param>
    public BuildServers(Func<string, string?>? environment = null) => _environment = environment ?? System.Environment.GetEnvironmentVariable;

    /// <summary>What a dotnet publish needs in its environment to use (and start) the servers.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NodeReuseOff] = "0",
        [MsBuildServer] = "1",
        // Read by the SDK's Csc task as an MSBuild property; the environment's value would otherwise win.
        [SharedCompilation] = "true",
        [OwnerVariable] = _owner,
    };

    /// <summary>Whether a build ran with the servers (so there may be servers to stop).</summary>
    public bool Used => Volatile.Read(ref _used) == 1;

    /// <summary>Called by the builder as it starts a dotnet publish with <see cref="Environment"/>.</summary>
    public void NoteUsed() => Volatile.Write(ref _used, 1);

    /// <summary>
    /// The servers this command turned on that the environment had off, by dotnet build-server's names: those are
    /// stopped when the command ends, so the machine is left as its environment wants it. Ones the environment has on
    /// (a developer's machine: node reuse and the compiler server) stay, as after any dotnet build.
    /// </summary>
    public IReadOnlyList<string> ToStop()
    {
        var stop = new List<string>();
        if (_environment(MsBuildServer) != "1" || _environment(NodeReuseOff) == "1")
        {
            stop.Add("--msbuild");
        }
        if (string.Equals(_environment(SharedCompilation), "false", StringComparison.OrdinalIgnoreCase))
        {
            stop.Add("--vbcscompiler");
        }
        return stop;
    }

    /// <summary>
    /// Starts the servers with a full build of <paramref name="project"/> (a function: its libraries, the source
    /// generator) into <paramref name="artifacts"/>, away from the real builds, so the first rebuild after an edit finds
    /// MSBuild and the compiler started, the generator loaded and their code compiled (a JIT rebuild of Hello: 8 s with
    /// servers just started, 2-3 s warm). No-op once a build ran with them. A warm-up that fails costs only that time.
    /// </summary>
    public async Task WarmAsync(string project, string artifacts, CancellationToken cancellationToken)
    {
        if (Used)
        {
            return;
        }
        NoteUsed();
        try
        {
            await ProcessRunner.RunAsync("dotnet", ["build", project, "--no-incremental", "-c", "Release", "--artifacts-path", artifacts, "--nologo", "-v:q"],
                environment: Environment, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The command is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Used || ToStop() is not { Count: > 0 } stop)
        {
            return;
        }
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await ProcessRunner.RunAsync("dotnet", ["build-server", "shutdown", .. stop], environment: Environment, cancellationToken: patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A server that does not stop in 30 s is stopped below.
        }
        StopLeftovers();
    }

    /// <summary>
    /// What dotnet build-server does not reach: MSBuild nodes a build started itself when it could not use the
    /// MSBuild server (seen when the command runs under `dotnet test`) do not answer its shutdown. They carry this
    /// command's mark in their environment, which nothing else does.
    /// </summary>
    private void StopLeftovers()
    {
        if (!Directory.Exists("/proc"))
        {
            return;
        }
        var mark = System.Text.Encoding.UTF8.GetBytes($"\0{OwnerVariable}={_owner}\0");
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }
            try
            {
                var environment = File.ReadAllBytes(Path.Combine(folder, "environ"));
                if (environment.Length > 0 && ((ReadOnlySpan<byte>)[0, .. environment]).IndexOf(mark) >= 0)
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
    }
}
