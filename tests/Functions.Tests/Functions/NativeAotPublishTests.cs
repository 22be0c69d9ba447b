using System.Diagnostics;
using Functions.Tools;

namespace Functions.Tests.Functions;

/// <summary>Native AOT analysis must stay clean: a trim or AOT warning means reflection crept into a function.</summary>
public sealed class NativeAotPublishTests
{
    [Fact]
    public async Task Publishing_a_function_with_Native_AOT_gives_no_analysis_warning()
    {
        var repository = Repository.Locate();
        var output = Directory.CreateTempSubdirectory("fn-aot-");
        try
        {
            // Warnings as warnings here, so the test sees and names every one instead of stopping at the first error.
            var (exitCode, log) = await RunAsync("dotnet", "publish", Path.Combine(repository.Lambdas, "Items.Update", "Items.Update.csproj"),
                "-c", "Release", "-r", "linux-x64", "-o", output.FullName, "--artifacts-path", Path.Combine(output.FullName, "build"),
                "-p:TreatWarningsAsErrors=false", "-p:IlcTreatWarningsAsErrors=false", "-p:ILLinkTreatWarningsAsErrors=false", "--nologo")
                .WaitAsync(TimeSpan.FromMinutes(10));

            var warnings = log.Split('\n').Where(l => l.Contains("warning ", StringComparison.Ordinal)).Distinct().ToList();
            Assert.True(exitCode == 0, log);
            Assert.Empty(warnings);
            Assert.True(File.Exists(Path.Combine(output.FullName, "bootstrap")));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string file, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
