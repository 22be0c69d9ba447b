using Functions.Build;
using Functions.Tests.DynamoDb;
using Functions.Tools;

namespace Functions.Tests.Cli;

/// <summary>
/// The ./fn script on a fresh clone sets up before it runs a verb (apt, npm ci, dotnet restore, the tool build). Whatever
/// those print goes to stderr: stdout is the verb's result, so `./fn invoke ... | jq` works on the first run too. The
/// script runs for real in a scratch copy of the repository with the tools it calls stubbed on PATH, each stub saying
/// something on stdout the way npm's "added 56 packages" does.
/// </summary>
public sealed class FnScriptSetupOutputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private const string Result = """{"message":"Hello"}""";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Setting_up_on_a_fresh_clone_prints_nothing_but_the_invocation_s_result_on_stdout()
    {
        using var clone = new ScratchFolder();
        File.Copy(Path.Combine(Repository.Locate().Root, "fn"), Path.Combine(clone.Path, "fn"));
        File.WriteAllText(Path.Combine(clone.Path, "package-lock.json"), "{}");
        foreach (var folder in (string[])["tools", "build", "shared"])
        {
            Directory.CreateDirectory(Path.Combine(clone.Path, folder));
        }
        var stubs = Directory.CreateDirectory(Path.Combine(clone.Path, "stubs")).FullName;
        // No node_modules: the script runs npm ci, which the stub answers the way npm does.
        Stub(stubs, "npm", """mkdir -p node_modules && echo '{}' > node_modules/.package-lock.json && echo 'added 56 packages in 20s'""");
        Stub(stubs, "dotnet", $$"""
            case "$1" in
              restore) echo 'Restore complete (0.5s)' ;;
              build) mkdir -p "$6" && echo 'Build succeeded.' ;;  # dotnet build TOOL.csproj -c Release -o DIR
              *fn.dll) echo '{{Result}}' ;;
            esac
            """);
        foreach (var tool in (string[])["apt-get", "dpkg", "node", "clang", "wrk", "hyperfine", "qemu-aarch64", "aarch64-linux-gnu-objcopy"])
        {
            Stub(stubs, tool, $"echo '{tool} says something'");
        }
        var environment = new Dictionary<string, string> { ["PATH"] = $"{stubs}:/usr/bin:/bin" };
        using var patience = new CancellationTokenSource(Timeout);

        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(clone.Path, "fn"), "invoke", "Hello", "--event", "events/hello.json"], clone.Path, environment, cancellationToken: patience.Token);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(Result + "\n", result.Stdout);
        Assert.Contains("npm ci", result.Stderr, StringComparison.Ordinal); // It did set up, and said so where it belongs.
        Assert.Contains("added 56 packages", result.Stderr, StringComparison.Ordinal);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Stub(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
