namespace Functions.Build.Processes;

/// <summary>What a finished process said and how it ended.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for an error message that shows everything the tool printed.</summary>
    public string Output => Stdout + Stderr;
}

/// <summary>
/// Runs a tool (dotnet publish, dotnet run, the fn CLI in tests) to its end and captures what it printed. Cancelling
/// kills the whole process tree: a cancelled build must not leave an ILCompiler running.
/// </summary>
public static class ProcessRunner
{
    /// <summary>
    /// How long the output may stay open after the exit: a build that started MSBuild's nodes may leave them holding
    /// it (an ordinary tool closes it as it exits, so this is no delay for it).
    /// </summary>
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(2);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? stdin = null,
        CancellationToken cancellationToken = default)
    {
        using var process = ChildProcess.Start(new ChildProcessStart(fileName, [.. arguments])
        {
            WorkingDirectory = workingDirectory,
            Environment = environment,
            HoldInput = true,
        });
        await process.CloseInputAsync(stdin).ConfigureAwait(false);
        try
        {
            await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        var (stdout, stderr) = await process.ReadOutputAsync(OutputDrain).ConfigureAwait(false);
        return new ProcessResult(process.Exit!.Value.Code, stdout, stderr);
    }
}
