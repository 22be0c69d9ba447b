using System.Text.Json;
using Functions.Tests.Cli;
using Functions.Tests.Remote;
using Functions.Tests.Serve;

namespace Functions.Tests.Tune;

/// <summary>
/// ./fn tune --remote as a process, through AWS's SDK for JavaScript, against serve's Invoke API in front of the dummy
/// function: the sweep's figures are the REPORT lines', and the function's configuration is as it was found afterwards,
/// also when the sweep is interrupted.
/// </summary>
public sealed class RemoteTuneCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static string[] Remote(DummyApi api, string function = "Dummy") =>
        ["tune", "--remote", function, "--endpoint-url", api.InvokeClient.BaseAddress!.ToString().TrimEnd('/'), "--region", "us-east-1"];

    private static string EventFile(string json)
    {
        var path = Path.Join(Directory.CreateTempSubdirectory("fn-tune-event-").FullName, "event.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task A_remote_sweep_reads_each_sizes_REPORT_lines_and_leaves_the_configuration_as_it_found_it()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        var original = api.Dummy.Spec;
        var output = Directory.CreateTempSubdirectory("fn-tune-remote-");

        // Act
        var result = await FnCli.RunWithEnvironmentAsync(Patience, RemoteLambdaTests.Credentials, null,
            [.. Remote(api), "--memory", "128,512", "--cold", "2", "--warm", "3", "--event", EventFile("""{"action":"echo"}"""), "--out", output.FullName]);

        // Assert
        Assert.True(result.ExitCode == 0, result.Stderr);
        var sweep = JsonDocument.Parse(File.ReadAllText(Path.Join(output.FullName, "tune.json"))).RootElement.GetProperty("results")[0];
        Assert.Equal("deployed, us-east-1", sweep.GetProperty("shaping").GetString());
        var sizes = sweep.GetProperty("sizes").EnumerateArray().ToList();
        Assert.Equal([128, 512], sizes.Select(s => s.GetProperty("memoryMb").GetInt32()));
        Assert.All(sizes, s =>
        {
            Assert.Equal(2, s.GetProperty("cold").GetArrayLength());
            Assert.All(s.GetProperty("cold").EnumerateArray(), c => Assert.True(c.TryGetProperty("initMs", out _), "A forced cold start has an Init Duration."));
            Assert.Equal(3, s.GetProperty("warm").GetArrayLength());
        });
        Assert.Contains("tune: restored Dummy: MemorySize 256 MB", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(original.MemoryMb, api.Dummy.Spec.MemoryMb);
        Assert.Equal(original.Environment.OrderBy(v => v.Key), api.Dummy.Spec.Environment.OrderBy(v => v.Key));
        Assert.Contains("Memory Size: 512 MB", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_mid_sweep_puts_the_configuration_back_and_exits_130()
    {
        // Arrange: each invocation sleeps, so the sweep is still running when the signal comes.
        await using var api = await DummyApi.StartAsync();
        var original = api.Dummy.Spec;
        await using var tune = FnProcess.Run(RemoteLambdaTests.Credentials,
            [.. Remote(api), "--memory", "128,256,512", "--cold", "3", "--warm", "20", "--event", EventFile("""{"action":"sleep","ms":200}""")]);
        Assert.True(await tune.WaitForOutputAsync("tune: Dummy at 256 MB", Patience), tune.Output);
        Assert.NotEqual(original, api.Dummy.Spec);

        // Act
        var exitCode = await tune.InterruptAsync();

        // Assert
        Assert.Equal(130, exitCode);
        Assert.Contains("tune: restored Dummy: MemorySize 256 MB", tune.Output, StringComparison.Ordinal);
        Assert.Equal(original.MemoryMb, api.Dummy.Spec.MemoryMb);
        Assert.Equal(original.Environment.OrderBy(v => v.Key), api.Dummy.Spec.Environment.OrderBy(v => v.Key));
    }

    [Fact]
    public async Task A_function_Lambda_does_not_have_is_one_line_and_nothing_changes()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        var revision = api.Dummy.RevisionId;

        // Act
        var result = await FnCli.RunWithEnvironmentAsync(Patience, RemoteLambdaTests.Credentials, null, Remote(api, "Nope"));

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Lambda has no function Nope in this account and region", result.Stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(revision, api.Dummy.RevisionId);
    }
}
