using System.Text.Json;
using System.Xml.Linq;
using Functions.Build.Processes;
using Functions.Tests.Building;
using Functions.Tests.Cli;

namespace Functions.Tests.Templates;

/// <summary>
/// `dotnet new fn-api` from the packed template writes an app outside this repository that builds and tests against
/// the packages of the folder feed, and the fn tool installed from its manifest adds, builds, invokes, serves and
/// synthesizes its functions.
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
    public async Task A_new_app_with_two_tables_builds_invokes_serves_synthesizes_and_tests_functions_on_the_lean_client_and_on_AWS_s_SDK()
    {
        // Arrange: the app, its node tools (npm), and the one edit a user makes by hand: the tables in the stack.
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var app = await NewAppAsync("Shop", patience.Token);
        Succeeded(await ProcessRunner.RunAsync("npm", ["install", "--no-audit", "--no-fund"], app, cancellationToken: patience.Token));
        var stack = Path.Combine(app, "infra", "ShopStack.cs");
        File.WriteAllText(stack, File.ReadAllText(stack).Replace(
            "var tables = new Dictionary<string, ITable>(StringComparer.Ordinal);",
            """
            var tables = new Dictionary<string, ITable>(StringComparer.Ordinal)
                    {
                        ["Orders"] = new Table(this, "Orders", new TableProps { PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "id", Type = AttributeType.STRING }, BillingMode = BillingMode.PAY_PER_REQUEST, PointInTimeRecovery = true }),
                        ["Customers"] = new Table(this, "Customers", new TableProps { PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "email", Type = AttributeType.STRING }, BillingMode = BillingMode.PAY_PER_REQUEST, PointInTimeRecovery = true }),
                    };
            """, StringComparison.Ordinal));

        // Act
        var lean = await Run(app, ["fn", "new", "Orders.Put", "--route", "PUT /orders/{id}", "--table", "Orders:write"], patience.Token);
        var sdk = await Run(app, ["fn", "new", "Customers.Put", "--route", "PUT /customers/{email}", "--table", "Customers:write", "--client", "sdk"], patience.Token);
        var build = await Run(app, ["fn", "build"], patience.Token);
        var invokedLean = await Run(app, ["fn", "invoke", "Orders.Put", "--event", "events/orders-put.json", "--in-memory"], patience.Token);
        var invokedSdk = await Run(app, ["fn", "invoke", "Customers.Put", "--event", "events/customers-put.json", "--in-memory"], patience.Token);
        var token = (await Run(app, ["fn", "token"], patience.Token)).Stdout.Trim();
        HttpResponseMessage order, customer;
        await using (var serve = await FnProcess.StartInAppAsync(app, IsolatedPackages, "--mode", "aot", "--in-memory"))
        {
            order = await serve.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/orders/o-1") { Headers = { Authorization = new("Bearer", token) } }, patience.Token);
            customer = await serve.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/customers/ada@example.com") { Headers = { Authorization = new("Bearer", token) } }, patience.Token);
        }
        var synth = await Run(app, ["fn", "synth", "--arch", "x86_64"], patience.Token);
        var test = await Run(app, ["test", "-c", "Release"], patience.Token);

        // Assert
        Succeeded(lean);
        Assert.Contains("tests/Shop.Tests/Functions/OrdersPutFunctionTests.cs", lean.Stdout, StringComparison.Ordinal);
        Assert.Contains("Shop.sln", lean.Stdout, StringComparison.Ordinal);
        Assert.Contains("Next: dotnet fn invoke Orders.Put --event events/orders-put.json, or dotnet fn serve.", lean.Stdout, StringComparison.Ordinal);
        Succeeded(sdk);
        Succeeded(build);
        foreach (var function in new[] { "Hello", "Orders.Put", "Customers.Put" })
        {
            Assert.True(File.Exists(Path.Combine(app, "artifacts", "aot", "linux-x64", function, "bootstrap")), function);
        }
        Succeeded(invokedLean);
        Assert.Contains("Orders.Put wrote example to Orders", invokedLean.Stdout, StringComparison.Ordinal);
        Succeeded(invokedSdk);
        Assert.Contains("Customers.Put wrote example to Customers", invokedSdk.Stdout, StringComparison.Ordinal);
        Assert.Equal(200, (int)order.StatusCode);
        Assert.Contains("Orders.Put wrote o-1 to Orders", await order.Content.ReadAsStringAsync(patience.Token), StringComparison.Ordinal);
        Assert.Equal(200, (int)customer.StatusCode);
        Assert.Contains("Customers.Put wrote ada@example.com to Customers", await customer.Content.ReadAsStringAsync(patience.Token), StringComparison.Ordinal);
        Succeeded(synth);
        Assert.Contains("cdk-nag on Shop.template.json: 0 findings", synth.Stderr, StringComparison.Ordinal);
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, ".fn", "cdk.out", "Shop.template.json")));
        Assert.Equal(["Orders"], TablesWritten(template, "OrdersPut"));
        Assert.Equal(["Customers"], TablesWritten(template, "CustomersPut"));
        Assert.Empty(TablesWritten(template, "Hello"));
        Succeeded(test);
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+3,", test.Stdout);
    }

    /// <summary>
    /// The tables a function's role may reach, by the logical id's prefix (Orders of Orders1A2B3C), from the DynamoDB
    /// statements of its policy; each must be write actions only.
    /// </summary>
    private static List<string> TablesWritten(JsonDocument template, string function)
    {
        var policy = template.RootElement.GetProperty("Resources").EnumerateObject()
            .Single(r => r.Name.StartsWith($"Http{function}RoleDefaultPolicy", StringComparison.Ordinal));
        var tables = new List<string>();
        foreach (var statement in policy.Value.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
        {
            var actions = statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().Select(a => a.GetString()!).ToList()
                : [statement.GetProperty("Action").GetString()!];
            if (!actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)))
            {
                continue;
            }
            Assert.DoesNotContain(actions, a => a is "dynamodb:GetItem" or "dynamodb:Query" or "dynamodb:Scan" or "dynamodb:*");
            var table = statement.GetProperty("Resource").GetProperty("Fn::GetAtt")[0].GetString()!;
            tables.Add(table[..^8]);
        }
        return tables;
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
