using System.Net.Http.Json;
using System.Text.Json;
using Functions.Tests.Cli;

namespace Functions.Tests.Serve;

/// <summary>
/// serve --watch in a copy of the repository, with build servers off in its environment as CI has them: an edit to a
/// handler is rebuilt on warm build servers and served, the old answer until then, and serve stops the servers it
/// started; its builds write no zip, and a build that wants one zips the same folder without publishing again.
/// </summary>
public sealed class ServeWatchTests : IClassFixture<ServeWatchTests.WatchedCopy>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly WatchedCopy _copy;

    public ServeWatchTests(WatchedCopy copy) => _copy = copy;

    [Fact]
    public async Task An_edited_handler_is_served_after_its_rebuild_the_old_answer_until_then_and_the_build_servers_stop_with_serve()
    {
        // Arrange
        var serve = _copy.Serve;
        Assert.Equal("hello", await MessageAsync(serve));
        var source = Path.Combine(_copy.Root, "lambdas", "Hello", "Hello.cs");

        // Act
        await File.WriteAllTextAsync(source, (await File.ReadAllTextAsync(source)).Replace("new MessageBody(\"hello\")", "new MessageBody(\"edited\")", StringComparison.Ordinal));
        var answers = new List<string>();
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until && answers.LastOrDefault() != "edited")
        {
            answers.Add(await MessageAsync(serve));
            await Task.Delay(50);
        }
        var servers = BuildServerProcesses();
        var exitCode = await serve.InterruptAsync();

        // Assert
        Assert.True(answers.Last() == "edited", serve.Output);
        Assert.All(answers, answer => Assert.Contains(answer, new[] { "hello", "edited" }));
        Assert.NotEmpty(servers);
        Assert.Equal(0, exitCode);
        until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until && servers.Any(FnProcess.IsAlive))
        {
            await Task.Delay(100);
        }
        Assert.True(!servers.Any(FnProcess.IsAlive),
            $"still running after serve stopped: {string.Join("; ", servers.Where(FnProcess.IsAlive).Select(CommandLine))}\n{serve.Output}");
    }

    [Fact]
    public async Task Serves_builds_write_no_zip_and_a_build_that_wants_one_zips_the_folder_without_publishing_again()
    {
        // Arrange
        var folder = Path.Combine(_copy.Root, "artifacts", "jit", "linux-x64", "Items.List");
        var zip = Path.Combine(_copy.Root, "artifacts", "jit", "linux-x64", "Items.List.zip");
        var published = File.GetLastWriteTimeUtc(Path.Combine(folder, ".inputs.sha256"));
        Assert.False(File.Exists(zip));

        // Act
        using var patience = new CancellationTokenSource(Patience);
        var build = await ProcessRunner.RunAsync("dotnet", [FnCli.ToolPath, "build", "Items.List", "--mode", "jit"], _copy.Root,
            new Dictionary<string, string> { ["FN_ROOT"] = _copy.Root }, cancellationToken: patience.Token);

        // Assert
        Assert.True(build.ExitCode == 0, build.Stderr);
        Assert.True(File.Exists(zip));
        Assert.Equal(published, File.GetLastWriteTimeUtc(Path.Combine(folder, ".inputs.sha256")));
    }

    private static async Task<string> MessageAsync(FnProcess serve)
    {
        using var response = await serve.Client.GetAsync(new Uri("/hello", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
    }

    /// <summary>The build servers running now, from /proc.</summary>
    private static List<int> BuildServerProcesses() =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid) is { } line && IsBuildServer(line))];

    /// <summary>The compiler server, MSBuild's server (node mode 8) and nodes kept for reuse; not a build's own worker nodes.</summary>
    private static bool IsBuildServer(string commandLine) =>
        commandLine.Contains("VBCSCompiler", StringComparison.Ordinal)
        || commandLine.Contains("/nodemode:8", StringComparison.Ordinal)
        || commandLine.Contains("/nodeReuse:true", StringComparison.Ordinal);

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A copy of the repository served with --watch in JIT mode, its functions built by serve.</summary>
    public sealed class WatchedCopy : IAsyncLifetime
    {
        private readonly DirectoryInfo _root = RepositoryCopy.Create("fn-watch-");

        public string Root => _root.FullName;

        internal FnProcess Serve { get; private set; } = null!;

        public async Task InitializeAsync() => Serve = await FnProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["FN_ROOT"] = Root,
                // As CI runs builds: no server outlives a build; serve turns them on for itself and off again.
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
                ["UseSharedCompilation"] = "false",
            },
            "--watch", "--mode", "jit", "--in-memory");

        public async Task DisposeAsync()
        {
            await Serve.DisposeAsync();
            _root.Delete(recursive: true);
        }
    }
}
