using Functions.Tools;

namespace Functions.Tests.Cli;

/// <summary>Runs the real ./fn tool (fn.dll, built next to the tests) as a process, the way a user runs it.</summary>
internal static class FnCli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, string? stdin, params string[] arguments)
    {
        var repository = Repository.Locate();
        using var patience = new CancellationTokenSource(timeout);
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "fn.dll"), .. arguments],
            repository.Root,
            new Dictionary<string, string> { ["FN_ROOT"] = repository.Root },
            stdin,
            patience.Token);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
