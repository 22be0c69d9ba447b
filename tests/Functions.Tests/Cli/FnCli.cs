using Functions.Tools;

namespace Functions.Tests.Cli;

/// <summary>Runs the real ./fn tool (fn.dll, built next to the tests) as a process, the way a user runs it.</summary>
internal static class FnCli
{
    /// <summary>The tool as the test build copies it next to the tests, started with `dotnet`.</summary>
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "fn.dll");

    /// <summary>What the tool needs besides its arguments: the repository it works on.</summary>
    public static Dictionary<string, string> Environment(Repository repository) => new() { ["FN_ROOT"] = repository.Root };

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, string? stdin, params string[] arguments) =>
        RunWithEnvironmentAsync(timeout, new Dictionary<string, string>(), stdin, arguments);

    /// <summary>As the other, with <paramref name="environment"/> added to the tool's.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithEnvironmentAsync(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, string? stdin, params string[] arguments)
    {
        var repository = Repository.Locate();
        using var patience = new CancellationTokenSource(timeout);
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [ToolPath, .. arguments],
            repository.Root,
            Environment(repository).Concat(environment).ToDictionary(),
            stdin,
            patience.Token);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
