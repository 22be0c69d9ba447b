using System.Xml.Linq;
using Functions.Build.Processes;
using Functions.Tests.Building;
using Functions.Tests.Cli;

namespace Functions.Tests.Templates;

/// <summary>
/// `dotnet new fn-api` from the packed template writes an app outside this repository that builds and tests against
/// the packages of the folder feed, and the fn tool installed from its manifest builds, invokes and serves it.
/// </summary>
[Collection(PackedFeed.Collection)]
public sealed class FnApiTemplateTests(PackedFeed packed) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("fn-template-");

    /// <summary>
    /// A package cache and a CLI home of the app's own: every run packs the same version anew, and neither NuGet's cache
    /// nor the local-tool resolver's (~/.dotnet/toolResolverCache) may hand back an earlier run's build of it.
    /// </summary>
    private Dictionary<string, string> IsolatedPackages => new()
    {
        ["NUGET_PACKAGES"] = Path.Combine(_work.FullName, "packages"),
        ["DOTNET_CLI_HOME"] = Path.Combine(_work.FullName, "cli-home"),
        ["DOTNET_NOLOGO"] = "1",
    };

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task In_a_new_app_the_installed_tool_adds_a_function_and_the_app_s_tests_invoke_both_as_Native_AOT_binaries()
    {
        // Arrange
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var app = await NewAppAsync("Orders", patience.Token);

        // Act
        var added = await Run(app, ["fn", "new", "Orders.Get", "--route", "GET /orders/{id}"], patience.Token);
        var test = await Run(app, ["test", "-c", "Release"], patience.Token);
        var invoke = await Run(app, ["fn", "invoke", "Orders.Get", "--event", "events/orders-get.json"], patience.Token);

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
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_new_app_with_a_table_serves_a_write_through_the_lean_client_and_a_read_through_AWS_s_SDK_on_dynalite()
    {
        // Arrange: the app, its node tools (npm), and the one edit a user makes by hand: the table in the stack.
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var app = await NewAppAsync("Shop", patience.Token);
        Succeeded(await ProcessRunner.RunAsync("npm", ["install", "--no-audit", "--no-fund"], app, cancellationToken: patience.Token));
        var stack = Path.Combine(app, "infra", "ShopStack.cs");
        File.WriteAllText(stack, File.ReadAllText(stack).Replace(
            "var tables = new Dictionary<string, ITable>(StringComparer.Ordinal);",
            """
            var tables = new Dictionary<string, ITable>(StringComparer.Ordinal)
                    {
                        ["Orders"] = new Table(this, "Orders", new TableProps { PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "id", Type = AttributeType.STRING }, BillingMode = BillingMode.PAY_PER_REQUEST, PointInTimeRecovery = true }),
                    };
            """, StringComparison.Ordinal));

        // Act
        var writer = await Run(app, ["fn", "new", "Orders.Put", "--route", "PUT /orders/{id}", "--table", "Orders:write"], patience.Token);
        var reader = await Run(app, ["fn", "new", "Orders.Get", "--route", "GET /orders/{id}", "--table", "Orders:read", "--client", "sdk"], patience.Token);
        var token = await Run(app, ["fn", "token"], patience.Token);
        await using var serve = await FnProcess.StartInAppAsync(app, IsolatedPackages, "--mode", "jit", "--in-memory");
        var before = await serve.Client.GetAsync("/orders/o-1", patience.Token);
        using var put = new HttpRequestMessage(HttpMethod.Put, "/orders/o-1") { Headers = { Authorization = new("Bearer", token.Stdout.Trim()) } };
        var written = await serve.Client.SendAsync(put, patience.Token);
        var after = await serve.Client.GetAsync("/orders/o-1", patience.Token);
        var nag = await Run(app, ["fn", "nag"], patience.Token);

        // Assert
        Succeeded(writer);
        Succeeded(reader);
        Assert.Equal(404, (int)before.StatusCode);
        Assert.Equal(200, (int)written.StatusCode);
        Assert.Contains("Orders.Put wrote o-1 to Orders", await written.Content.ReadAsStringAsync(patience.Token), StringComparison.Ordinal);
        Assert.Equal(200, (int)after.StatusCode);
        Assert.Contains("Orders.Get found o-1 in Orders", await after.Content.ReadAsStringAsync(patience.Token), StringComparison.Ordinal);
        var template = File.ReadAllText(Directory.GetFiles(Path.Combine(app, ".fn", "cdk.out"), "*.template.json").Single());
        Assert.Contains("\"dynamodb:PutItem\"", template, StringComparison.Ordinal);
        Assert.Contains("\"fn:table\": \"Orders\"", template, StringComparison.Ordinal);
        Succeeded(nag);
        Assert.StartsWith("0 findings", nag.Stdout, StringComparison.Ordinal);
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

    /// <summary>
    /// An app made from the template installed in a hive of its own, its packages from the feed (and the machine's cache
    /// for the rest) into a cache of its own, so no run sees an older build of this version; its fn tool restored.
    /// </summary>
    private async Task<string> NewAppAsync(string name, CancellationToken cancellationToken)
    {
        var hive = Path.Combine(_work.FullName, "hive");
        var app = Path.Combine(_work.FullName, name);
        Succeeded(await Run(_work.FullName, ["new", "install", Directory.GetFiles(packed.Feed, "Functions.Templates.*.nupkg").Single(), "--debug:custom-hive", hive], cancellationToken));
        Succeeded(await Run(_work.FullName, ["new", "fn-api", "-n", name, "-o", app, "--debug:custom-hive", hive], cancellationToken));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="functions" value="{packed.Feed}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")}" /></fallbackPackageFolders>
            </configuration>
            """);
        Succeeded(await Run(app, ["tool", "restore"], cancellationToken));
        return app;
    }

    private Task<ProcessResult> Run(string directory, string[] arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("dotnet", arguments, directory, IsolatedPackages, cancellationToken: cancellationToken);

    private static void Succeeded(ProcessResult result) => Assert.True(result.ExitCode == 0, result.Output);
}
