using Functions.Tests.DynamoDb;

namespace Functions.Tests.Cli;

/// <summary>
/// ./fn synth's result is its table of assets; what cdk and the CDK app print on their stdout on the way (the app is
/// `dotnet run`, with its build output) goes to stderr. The real tool runs against a scratch repository whose cdk is a stub.
/// </summary>
public sealed class SynthOutputTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task What_cdk_prints_on_stdout_reaches_stderr_not_synth_s_result()
    {
        using var repository = new ScratchFolder();
        // An app's root: cdk.json beside lambdas/.
        File.WriteAllText(Path.Combine(repository.Path, "cdk.json"), "{}");
        Directory.CreateDirectory(Path.Combine(repository.Path, "lambdas"));
        var bin = Directory.CreateDirectory(Path.Combine(repository.Path, "node_modules", ".bin")).FullName;
        var cdk = Path.Combine(bin, "cdk");
        File.WriteAllText(cdk, "#!/bin/sh\necho 'Build succeeded. 0 Warning(s)'\n");
        File.SetUnixFileMode(cdk, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var result = await ProcessRunner.RunAsync(
            "dotnet", [FnCli.ToolPath, "synth"], repository.Path, new Dictionary<string, string> { ["FN_ROOT"] = repository.Path }, cancellationToken: patience.Token);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("", result.Stdout); // The stub wrote no cdk.out: no table either.
        Assert.Contains("Build succeeded.", result.Stderr, StringComparison.Ordinal);
    }
}
