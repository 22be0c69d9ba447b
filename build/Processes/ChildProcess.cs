using System.Diagnostics;

namespace Functions.Build.Processes;

/// <summary>
/// A process this one started and answers for: its output read from the start (a pipe left unread fills up and
/// blocks the child), its whole tree killed on demand, its exit awaited and worded. What to do when it ends (restart
/// it, report an invocation's failure, show a build's output) is the caller's.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CapturedStream? _stdout;
    private CapturedStream? _stderr;
    private volatile bool _disposed;

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>How it ended, or null while it runs.</summary>
    public ProcessExit? Exit => _process.HasExited ? new ProcessExit(_process.ExitCode) : null;

    /// <summary>Completes as the process ends (its output may still be in the pipes: <see cref="WaitForExitAsync"/> drains them).</summary>
    public Task Exited => _exited.Task;

    /// <summary>Starts it; a program that cannot be started throws <see cref="System.ComponentModel.Win32Exception"/> for the caller to word.</summary>
    public static ChildProcess Start(ChildProcessStart start)
    {
        var info = new ProcessStartInfo(start.FileName)
        {
            WorkingDirectory = start.WorkingDirectory ?? Directory.GetCurrentDirectory(),
            RedirectStandardOutput = !start.KeepTerminal || start.OnLine is not null,
            RedirectStandardError = !start.KeepTerminal,
            RedirectStandardInput = !start.KeepTerminal,
            UseShellExecute = false,
        };
        foreach (var argument in start.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (!start.InheritEnvironment)
        {
            info.Environment.Clear();
        }
        foreach (var (key, value) in start.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var child = new ChildProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        var process = child._process;
        process.Exited += (_, _) => child._exited.TrySetResult();
        if (start.OnLine is { } onLine)
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
            if (!start.KeepTerminal)
            {
                process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
            }
        }
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }
        if (start.OnLine is not null)
        {
            process.BeginOutputReadLine();
            if (!start.KeepTerminal)
            {
                process.BeginErrorReadLine();
            }
        }
        else if (!start.KeepTerminal)
        {
            child._stdout = new CapturedStream(process.StandardOutput);
            child._stderr = new CapturedStream(process.StandardError);
        }
        if (!start.HoldInput && !start.KeepTerminal)
        {
            process.StandardInput.Close();
        }
        return child;
    }

    /// <summary>One line to a held stdin (a request to a child that answers on stdout), flushed at once.</summary>
    public async Task WriteInputLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="text"/> (if any) to a held stdin, then closes it: the child reads to its end.</summary>
    public async Task CloseInputAsync(string? text = null)
    {
        if (text is not null)
        {
            await _process.StandardInput.WriteAsync(text).ConfigureAwait(false);
        }
        _process.StandardInput.Close();
    }

    /// <summary>Everything the child wrote, once it closed its streams; only when its output is captured, not streamed.</summary>
    public async Task<(string Stdout, string Stderr)> ReadOutputAsync()
    {
        var (stdout, stderr) = Captured();
        await Task.WhenAll(stdout.Completion, stderr.Completion).ConfigureAwait(false);
        return (stdout.Text, stderr.Text);
    }

    /// <summary>
    /// As <see cref="ReadOutputAsync()"/> after the exit, waiting at most <paramref name="drain"/> for the streams to
    /// close: a process that started a server (MSBuild's nodes, the compiler server) may have passed it its output,
    /// which then stays open as long as the server runs. What was written until then is returned.
    /// </summary>
    public async Task<(string Stdout, string Stderr)> ReadOutputAsync(TimeSpan drain)
    {
        var (stdout, stderr) = Captured();
        await Task.WhenAll(stdout.Completion, stderr.Completion).WaitAsync(drain).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return (stdout.Text, stderr.Text);
    }

    private (CapturedStream Stdout, CapturedStream Stderr) Captured() => _stdout is not null && _stderr is not null
        ? (_stdout, _stderr)
        : throw new InvalidOperationException("The output of this process is streamed line by line, not captured.");

    /// <summary>Waits for the exit and for the last of its streamed output.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Waits up to <paramref name="timeout"/> for the exit; whether it came.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Kills the child and everything it started (a build's compilers, an instance's shim): nothing when it is gone already.</summary>
    public void Kill()
    {
        if (_disposed)
        {
            return; // Its owner let it go: it was reaped already.
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    /// <summary>
    /// Kills it and waits up to <paramref name="timeout"/> for the kernel to reap it; whether it is gone. A process
    /// already disposed is gone: a supervisor may stop what a restart just let go of.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        Kill();
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (InvalidOperationException) when (_disposed)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _process.Dispose();
    }
}
