using System.Text.Json;
using Functions.Tests.Functions;

namespace Functions.Tests.Cli;

/// <summary>
/// The architecture and framework switches end to end, with real builds: Hello for arm64 run under qemu-user, and on
/// .NET 8 for x86_64 beside .NET 10. Hello is the only function built this way, to keep CI's builds few.
/// </summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class ArchitectureAndFrameworkTests(BuiltFunctionsFixture functions)
{
    /// <summary>A cold cross-compile or net8.0 build, possibly waiting for another test project's build (the build lock).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task I_can_invoke_an_arm64_build_of_Hello_under_qemu()
    {
        var result = await FnCli.RunAsync(Patience, null, "invoke", "Hello", "--arch", "arm64", "--event", "events/hello.json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("hello", JsonDocument.Parse(result.Stdout).RootElement.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains("Init Duration: ", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(functions.Repository.Artifacts, "aot", "linux-arm64", "Hello", "bootstrap")));
    }

    [Fact]
    public async Task Hello_builds_and_runs_on_net8_for_x86_64_beside_net10_and_bench_compares_the_two()
    {
        var output = Directory.CreateTempSubdirectory("fn-bench-frameworks-");
        try
        {
            var build = await FnCli.RunAsync(Patience, null, "build", "Hello", "--framework", "net8.0");
            var invoke = await FnCli.RunAsync(Patience, null, "invoke", "Hello", "--framework", "net8.0", "--event", "events/hello.json");
            var bench = await FnCli.RunAsync(Patience, null, "bench", "Hello", "--modes", "aot", "--frameworks", "net8.0,net10.0",
                "--cold", "2", "--warm", "3", "--out", output.FullName);

            Assert.True(build.ExitCode == 0, build.Stderr);
            Assert.True(File.Exists(Path.Combine(functions.Repository.Artifacts, "aot-net8.0", "linux-x64", "Hello", "bootstrap")));
            Assert.True(invoke.ExitCode == 0, invoke.Stderr);
            Assert.Contains("hello", invoke.Stdout, StringComparison.Ordinal);
            Assert.True(bench.ExitCode == 0, bench.Stderr);
            var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "bench.json"))).RootElement.GetProperty("results");
            Assert.Equal(["aot", "aot-net8.0"], results.EnumerateArray().Select(r => r.GetProperty("mode").GetString()).Order(StringComparer.Ordinal).ToList());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("build", "Hello", "--arch", "arm64", "--framework", "net8.0")]
    [InlineData("invoke", "Hello", "--arch", "arm64", "--framework", "net8.0", "--payload", "{}")]
    [InlineData("bench", "Hello", "--arch", "arm64", "--frameworks", "net8.0")]
    public async Task An_arm64_request_on_net8_fails_at_once_saying_why(params string[] arguments)
    {
        var result = await FnCli.RunAsync(TimeSpan.FromMinutes(2), null, arguments);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("net8.0 cannot target arm64", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_framework_the_functions_do_not_build_for_is_bad_usage()
    {
        var result = await FnCli.RunAsync(TimeSpan.FromMinutes(1), null, "build", "Hello", "--framework", "net9.0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("net9.0", result.Stderr, StringComparison.Ordinal);
    }
}
