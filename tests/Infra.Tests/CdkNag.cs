using System.Diagnostics;
using Functions.Build;

namespace Functions.Infra.Tests;

/// <summary>cdk-nag's AwsSolutions and Serverless packs on a template file, through tools/Nag/cdk-nag-check.mjs and the real cdk-nag from node_modules.</summary>
internal static class CdkNag
{
    public static async Task<(int ExitCode, string Output)> CheckAsync(string template)
    {
        var repository = Repository.Locate();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(repository.Root, "tools", "Nag", "cdk-nag-check.mjs"), template },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository.Root,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (node.ExitCode, await output + await errors);
    }
}
