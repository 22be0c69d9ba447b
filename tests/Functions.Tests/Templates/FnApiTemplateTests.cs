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
    public async Task In_a_new_app_the_installed_tool_adds_a_function_and_the_app_s_tests_invoke_both_as_Native_AOT_binaries()
    {
        // Arrange: the template installed in a hive of its own, an app made from it, its packages from the feed
        // (and the machine's cache for the rest) into a cache of its own, so no run sees an older build of this version.
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
        Succeeded(await Run(app, ["tool", "restore"]));

        // Act
        var added = await Run(app, ["fn", "new", "Orders.Get", "--route", "GET /orders/{id}"]);
        var test = await Run(app, ["test", "-c", "Release"]);
        var invoke = await Run(app, ["fn", "invoke", "Orders.Get", "--event", "events/orders-get.json"]);

        // Assert
        Succeeded(added);
        Assert.Contains("tests/Orders.Tests/Functions/OrdersGetFunctionTests.cs", added.Stdout, StringComparison.Ordinal);
        Assert.Contains("Orders.sln", added.Stdout, StringComparison.Ordinal);
        Succeeded(test);
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+2,", test.Stdout);
        foreach (var function in new[] { "Hello", "Orders.Get" })
        {
            Assert.True(File.Exists(Path.Combine(app, "artifacts", "aot", "linux-x64", function, "bootstrap")), function);
        }
        Succeeded(invoke);
        Assert.Contains("Orders.Get answers GET /orders/{id} with id=example", invoke.Stdout, StringComparison.Ordinal);

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
