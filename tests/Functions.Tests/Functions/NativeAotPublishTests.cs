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
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var publish = await ProcessRunner.RunAsync("dotnet",
                ["publish", Path.Combine(repository.Lambdas, "Items.Update", "Items.Update.csproj"),
                "-c", "Release", "-r", "linux-x64", "-o", output.FullName, "--artifacts-path", Path.Combine(output.FullName, "build"),
                "-p:TreatWarningsAsErrors=false", "-p:IlcTreatWarningsAsErrors=false", "-p:ILLinkTreatWarningsAsErrors=false", "--nologo"],
                cancellationToken: patience.Token);
            var (exitCode, log) = (publish.ExitCode, publish.Output);

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
}
