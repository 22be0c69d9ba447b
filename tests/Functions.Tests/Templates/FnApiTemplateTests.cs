using System.Xml.Linq;
using Functions.Build.Processes;
using Functions.Tests.Building;

namespace Functions.Tests.Templates;

/// <summary>
/// `dotnet new fn-api` from the packed template writes an app outside this repository that builds and tests against
/// the packages of the folder feed, and the fn tool installed from its manifest builds, invokes and serves it.
/// </summary>
[Collection(PackedFeed.Collection)]
public sealed class FnApiTemplateTests(PackedFeed packed) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("fn-template-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_new_app_builds_tests_and_its_function_is_built_Native_AOT_and_invoked_by_the_installed_tool()
    {
        // Arrange: the template installed in a hive of its own, an app made from it, its packages from the feed
        // (and the machine's cache for the rest) into a cache of its own, so no run sees an older 0.1.0.
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var hive = Path.Combine(_work.FullName, "hive");
        var app = Path.Combine(_work.FullName, "Orders");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_work.FullName, "packages") };
        Succeeded(await Run(_work.FullName, ["new", "install", Directory.GetFiles(packed.Feed, "Functions.Templates.*.nupkg").Single(), "--debug:custom-hive", hive]));
        Succeeded(await Run(_work.FullName, ["new", "fn-api", "-n", "Orders", "-o", app, "--debug:custom-hive", hive]));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="functions" value="{packed.Feed}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")}" /></fallbackPackageFolders>
            </configuration>
            """);

        // Act
        var test = await Run(app, ["test", "-c", "Release"]);
        var restore = await Run(app, ["tool", "restore"]);
        var build = await Run(app, ["fn", "build", "Hello"]);
        var invoke = await Run(app, ["fn", "invoke", "Hello", "--event", "events/hello.json"]);

        // Assert
        Succeeded(test);
        Assert.Contains("Passed!", test.Stdout, StringComparison.Ordinal);
        Succeeded(restore);
        Succeeded(build);
        Assert.True(File.Exists(Path.Combine(app, "artifacts", "aot", "linux-x64", "Hello", "bootstrap")), build.Output);
        Succeeded(invoke);
        Assert.Contains("\"statusCode\":200", invoke.Stdout, StringComparison.Ordinal);
        Assert.Contains("""{\"message\":\"hello\"}""", invoke.Stdout, StringComparison.Ordinal);

        Task<ProcessResult> Run(string directory, string[] arguments) =>
            ProcessRunner.RunAsync("dotnet", arguments, directory, environment, cancellationToken: patience.Token);
    }

    [Fact]
    public async Task The_app_is_named_as_asked_everywhere_and_asks_for_the_packages_of_this_version()
    {
        var hive = Path.Combine(_work.FullName, "hive");
        var app = Path.Combine(_work.FullName, "Billing");

        Succeeded(await ProcessRunner.RunAsync("dotnet", ["new", "install", Directory.GetFiles(packed.Feed, "Functions.Templates.*.nupkg").Single(), "--debug:custom-hive", hive], _work.FullName));
        Succeeded(await ProcessRunner.RunAsync("dotnet", ["new", "fn-api", "-n", "Billing", "-o", app, "--debug:custom-hive", hive], _work.FullName));

        var files = Directory.GetFiles(app, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(app, f).Replace('\\', '/')).ToList();
        Assert.Contains("Billing.sln", files);
        Assert.Contains("infra/Billing.Infra.csproj", files);
        Assert.Contains("tests/Billing.Tests/Billing.Tests.csproj", files);
        Assert.Contains(".config/dotnet-tools.json", files);
        Assert.DoesNotContain(files, f => f.Contains("FnApp", StringComparison.Ordinal) || File.ReadAllText(Path.Combine(app, f)).Contains("FnApp", StringComparison.Ordinal));
        var version = XDocument.Load(Path.Combine(Repository.Locate().Root, "Pack.props")).Descendants("Version").Single().Value;
        Assert.Equal(version, XDocument.Load(Path.Combine(app, "Directory.Packages.props")).Descendants("FunctionsVersion").Single().Value);
        Assert.Contains($"\"version\": \"{version}\"", File.ReadAllText(Path.Combine(app, ".config", "dotnet-tools.json")), StringComparison.Ordinal);
    }

    private static void Succeeded(ProcessResult result) => Assert.True(result.ExitCode == 0, result.Output);
}
