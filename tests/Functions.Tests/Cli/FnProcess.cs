using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Functions.Tools;

namespace Functions.Tests.Cli;

/// <summary>
/// The real ./fn tool as a long-running process (`serve` on a free port, or an `invoke` to interrupt), stopped the way a
/// user stops it (SIGINT, what Ctrl-C sends). It knows the processes the tool started, so a test can prove none is left.
/// </summary>
internal sealed partial class FnProcess : IAsyncDisposable
{
    /// <summary>
    /// Template, dynalite and up-to-date builds: a few seconds; a copy of the repository synthesizes and builds every
    /// function first (minutes); a busy 2-core machine gets ample margin.
    /// </summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri? _address;

    private FnProcess(Process process)
    {
        _process = process;
    }

    public Uri Address { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public int ProcessId => _process.Id;

    /// <summary>Where serve's Lambda Invoke API listens, once the banner said so.</summary>
    public Uri? InvokeAddress { get; private set; }

    /// <summary>Where serve's function URLs are, once its banner said so; null when the app has none.</summary>
    public Uri? UrlAddress { get; private set; }

    /// <summary>Where serve's console is, once its banner said so; null with --no-console.</summary>
    public Uri? ConsoleAddress { get; private set; }

    public string Output => string.Join('\n', _output);

    /// <summary>`./fn serve --port 0 ARGUMENTS...`, once it listens and has built every function (serve listens first, then builds).</summary>
    public static Task<FnProcess> StartAsync(params string[] arguments) => StartAsync([], arguments);

    /// <summary>As the other, with <paramref name="environment"/> added to the tool's (FN_ROOT: serve a copy of the repository).</summary>
    public static Task<FnProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartAsync([], arguments, environment: environment);

    /// <summary>`./fn serve --port 0 ARGUMENTS...` as soon as it listens, its functions maybe still building.</summary>
    public static Task<FnProcess> StartListeningAsync(params string[] arguments) => StartAsync([], arguments, waitForBuilds: false);

    /// <summary>Completes when serve said its first builds are over (built or not).</summary>
    public Task Built => _built.Task;

    /// <summary>
    /// `./fn serve --port 0 ARGUMENTS...` as a terminal starts it: the leader of its own process group, SIGINT not
    /// ignored, so <see cref="InterruptGroupAsync"/> is what Ctrl-C does. (setsid(1) cannot undo an inherited ignored
    /// SIGINT; python3, on every machine that runs the tests, can.)
    /// </summary>
    public static Task<FnProcess> StartAsGroupLeaderAsync(params string[] arguments) => StartAsync(
        ["python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])"],
        arguments);

    /// <summary>
    /// `dotnet fn serve --port 0 ARGUMENTS...` in an app outside this repository, with the fn its tool manifest restored,
    /// once it listens and has built every function. Its client carries no token: the app's own issuer mints them.
    /// </summary>
    public static Task<FnProcess> StartInAppAsync(string app, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartAsync([], arguments, environment: environment, app: app);

    private static async Task<FnProcess> StartAsync(string[] launcher, string[] arguments, bool waitForBuilds = true, IReadOnlyDictionary<string, string>? environment = null, string? app = null)
    {
        var serve = Start(launcher, ["serve", "--port", "0", .. arguments], environment, app);
        var exited = serve._process.WaitForExitAsync();
        var ready = waitForBuilds ? Task.WhenAll(serve._listening.Task, serve._built.Task) : serve._listening.Task;
        var first = await Task.WhenAny(ready, exited, Task.Delay(StartTimeout));
        if (first != ready)
        {
            var exitCode = serve._process.HasExited ? serve._process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none, killed";
            await serve.KillAsync();
            // The parameterless wait returns once the output streams are drained: the message then shows why.
            serve._process.WaitForExit();
            throw new InvalidOperationException($"fn serve did not start listening (exit code {exitCode}):\n{serve.Output}");
        }
        serve.Address = await serve._listening.Task;
        serve.Client = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(60) };
        if (app is null)
        {
            // The Items writes need a token (cdk.json's issuer): the client carries one the writes take; the authorizer's
            // own tests use clients without it.
            serve.Client.DefaultRequestHeaders.Authorization = new("Bearer", await Auth.DevTokens.MintAsync());
        }
        return serve;
    }

    /// <summary>`./fn ARGUMENTS...`, started and left running.</summary>
    public static FnProcess Run(params string[] arguments) => Start([], arguments);

    /// <summary>`./fn ARGUMENTS...` with <paramref name="environment"/> added to the tool's, started and left running.</summary>
    public static FnProcess Run(IReadOnlyDictionary<string, string> environment, params string[] arguments) => Start([], arguments, environment);

    /// <summary>`dotnet fn.dll ARGUMENTS...`, through <paramref name="launcher"/> (a command that execs its arguments) if any.</summary>
    private static FnProcess Start(string[] launcher, string[] arguments, IReadOnlyDictionary<string, string>? environment = null, string? app = null)
    {
        var repository = app is null ? Repository.Locate() : new Repository(app);
        var startInfo = new ProcessStartInfo(launcher.Length > 0 ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository.Root,
        };
        foreach (var argument in launcher.Length > 0 ? [.. launcher[1..], "dotnet"] : Array.Empty<string>())
        {
            startInfo.ArgumentList.Add(argument);
        }
        // This repository's fn.dll, built beside the tests; in an app, the fn of its tool manifest (`dotnet fn`).
        startInfo.ArgumentList.Add(app is null ? FnCli.ToolPath : "fn");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in FnCli.Environment(repository).Concat(environment ?? new Dictionary<string, string>()))
        {
            startInfo.Environment[key] = value;
        }
        var fn = new FnProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        fn._process.OutputDataReceived += (_, e) => fn.Collect(e.Data);
        fn._process.ErrorDataReceived += (_, e) => fn.Collect(e.Data);
        fn._process.Start();
        fn._process.BeginOutputReadLine();
        fn._process.BeginErrorReadLine();
        return fn;
    }

    /// <summary>Waits until the tool has printed <paramref name="text"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until && !Output.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(20);
        }
        return Output.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Waits until a process below the tool runs an executable named <paramref name="name"/>.</summary>
    public async Task<bool> WaitForDescendantAsync(string name, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            if (Descendants().Any(pid => Command(pid) == name))
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>The first process below the tool running an executable named <paramref name="name"/> ("node" is dynalite).</summary>
    public int? DescendantNamed(string name) => Descendants().Where(pid => Command(pid) == name).Select(pid => (int?)pid).FirstOrDefault();

    /// <summary>Every process below the tool (dynalite, function instances), from /proc.</summary>
    public IReadOnlyList<int> Descendants() => DescendantsOf(_process.Id);

    /// <summary>
    /// Ctrl-C: SIGINT to serve alone, then its exit code. A process started from a background job of a non-interactive
    /// shell (as CI and agents run tests) inherits SIGINT as ignored, and no handler can undo that; it then gets SIGTERM,
    /// what a service manager sends, which serve handles the same way.
    /// </summary>
    public async Task<int> InterruptAsync()
    {
        var signal = IgnoresSigint(_process.Id) ? "-TERM" : "-INT";
        using (var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync().WaitAsync(StopTimeout);
        return _process.ExitCode;
    }

    /// <summary>Ctrl-C in a terminal: SIGINT to the whole process group (see <see cref="StartAsGroupLeaderAsync"/>), then serve's exit code.</summary>
    public async Task<int> InterruptGroupAsync()
    {
        using (var kill = Process.Start("kill", ["-INT", "--", $"-{_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]))
        {
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync().WaitAsync(StopTimeout);
        return _process.ExitCode;
    }

    /// <summary>Bit 1 (SIGINT is signal 2) of SigIgn in /proc/&lt;pid&gt;/status, a hex mask.</summary>
    private static bool IgnoresSigint(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .Where(line => line.StartsWith("SigIgn:", StringComparison.Ordinal))
            .Select(line => (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0)
            .FirstOrDefault();

    /// <summary>kill -9 of the tool alone: no handler runs, nothing is stopped on its way out.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                await InterruptAsync();
            }
            catch (TimeoutException)
            {
                await KillAsync();
            }
        }
        _process.Dispose();
    }

    private static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Every process whose process group is <paramref name="pgid"/>, from /proc/PID/stat (its fifth field).</summary>
    public static IReadOnlyList<int> ProcessesInGroup(int pgid)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // "PID (COMMAND) STATE PPID PGRP ...": the command may hold spaces and parentheses, so count from the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[2] == pgid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // It ended while we looked.
            }
        }
        return found;
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        if (ServingLine().Match(line) is { Success: true } match)
        {
            _address = new Uri(match.Groups["address"].Value);
        }
        // Listening is told once the whole banner is out, so every address it gives (Invoke API, URLs, console) is known.
        if (line == "Ctrl-C stops." && _address is not null)
        {
            _listening.TrySetResult(_address);
        }
        if (BuiltLine().IsMatch(line))
        {
            _built.TrySetResult();
        }
        if (InvokeLine().Match(line) is { Success: true } invoke)
        {
            InvokeAddress = new Uri(invoke.Groups["address"].Value);
        }
        if (UrlsLine().Match(line) is { Success: true } urls)
        {
            UrlAddress = new Uri(urls.Groups["address"].Value);
        }
        if (ConsoleLine().Match(line) is { Success: true } console)
        {
            ConsoleAddress = new Uri(console.Groups["address"].Value);
        }
    }

    private static List<int> DescendantsOf(int pid)
    {
        var found = new List<int>();
        var tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            return found;
        }
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue; // The thread ended while we looked.
            }
            foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
            {
                found.Add(child);
                found.AddRange(DescendantsOf(child));
            }
        }
        return found;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) S ..." — the state letter follows the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^Serving \d+ routes on (?<address>http://\S+) ")]
    private static partial Regex ServingLine();

    [GeneratedRegex(@"Function URLs on (?<address>http://[^\s:]+:\d+),")]
    private static partial Regex UrlsLine();

    [GeneratedRegex(@"^Console on (?<address>http://[^\s:]+:\d+):")]
    private static partial Regex ConsoleLine();

    [GeneratedRegex(@"Lambda Invoke API on (?<address>http://[^\s:]+:\d+):")]
    private static partial Regex InvokeLine();

    [GeneratedRegex(@"^(All \d+ functions are built and served\.|\d+ of \d+ functions are built and served)")]
    private static partial Regex BuiltLine();
}
