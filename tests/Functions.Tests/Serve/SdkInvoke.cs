using System.Diagnostics;
using System.Text.Json;
using Functions.Tools;

namespace Functions.Tests.Serve;

/// <summary>Runs invoke-with-sdk.mjs (AWS's SDK for JavaScript in node) against an Invoke API; its results, one per call.</summary>
internal static class SdkInvoke
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task<List<JsonElement>> RunAsync(Uri endpoint, params object[] calls)
    {
        var repository = Repository.Locate();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(repository.Root, "tests", "Functions.Tests", "Serve", "invoke-with-sdk.mjs"), endpoint.ToString().TrimEnd('/') },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository.Root,
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(calls));
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(Patience);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await errors}");
        return [.. JsonDocument.Parse(await output).RootElement.EnumerateArray()];
    }
}
