using System.Diagnostics;

namespace FnApp.Tests.Cli;

/// <summary>
/// Runs the fn tool (`dotnet fn`, from the app's .config/dotnet-tools.json) in the app's root, as you run it: a test
/// invokes the real Native AOT binary with a real event. fn new writes each function's test on it.
/// </summary>
internal static class FnCli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppRoot(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("fn");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        using var patience = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(patience.Token);
        var stderr = process.StandardError.ReadToEndAsync(patience.Token);
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fn {string.Join(' ', arguments)} took more than {timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The folder holding cdk.json and lambdas/, above the test's output.</summary>
    private static string AppRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "cdk.json")) && Directory.Exists(Path.Combine(folder.FullName, "lambdas")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No app root (cdk.json beside lambdas/) above {AppContext.BaseDirectory}.");
    }
}
