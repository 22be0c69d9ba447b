using System.Diagnostics;
using Functions.Tools;

namespace Functions.Tests.Cli;

/// <summary>Runs the real ./fn tool (fn.dll, built next to the tests) as a process, the way a user runs it.</summary>
internal static class FnCli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, string? stdin, params string[] arguments)
    {
        var repository = Repository.Locate();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = repository.Root,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fn.dll"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["FN_ROOT"] = repository.Root;
        using var process = Process.Start(startInfo)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
