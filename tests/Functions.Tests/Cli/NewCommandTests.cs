using System.Text.Json;

namespace Functions.Tests.Cli;

/// <summary>
/// ./fn new end to end in a copy of the repository: the scaffold is picked up by the CDK app, invoked for real, and
/// every bad name or route is refused before a file is written (issue 11).
/// </summary>
public sealed class NewCommandTests : IDisposable
{
    /// <summary>A synthesis of the copy's CDK app and a JIT build of the new function.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private readonly DirectoryInfo _copy = CopyOfRepository();

    public void Dispose() => _copy.Delete(recursive: true);

    [Fact]
    public async Task A_new_function_is_declared_synthesized_with_its_IAM_and_answers_its_event_with_no_other_edit()
    {
        // Act
        var created = await RunAsync("new", "Items.History", "--route", "GET /items/{id}/history", "--table", "Items:read");
        var invoked = await RunAsync("invoke", "Items.History", "--event", "events/items-history.json", "--mode", "jit", "--in-memory");

        // Assert
        Assert.True(created.ExitCode == 0, created.Stderr);
        var declared = FunctionCatalog.Read(new Repository(_copy.FullName), "Items.History").Declaration;
        Assert.Equal("GET /items/{id}/history", declared.RouteKey);
        Assert.Equal(["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"], declared.Tables.Single().Actions);
        Assert.Contains("Items.History.csproj", File.ReadAllText(Path.Combine(_copy.FullName, "Functions.sln")), StringComparison.Ordinal);
        Assert.Contains("`items-history.json` | Items.History | 200", File.ReadAllText(Path.Combine(_copy.FullName, "events", "README.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_copy.FullName, "tests", "Functions.Tests", "Functions", "ItemsHistoryFunctionTests.cs")));
        Assert.True(invoked.ExitCode == 0, invoked.Stderr);
        Assert.Equal(200, JsonDocument.Parse(invoked.Stdout).RootElement.GetProperty("statusCode").GetInt32());
        var template = File.ReadAllText(Path.Combine(_copy.FullName, ".fn", "cdk.out", "ItemsApi.template.json"));
        Assert.Contains("\"GET /items/{id}/history\"", template, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("items-history", "GET /items/{id}/history", "is not a function name")]
    [InlineData("Items.Get", "GET /items/{id}/x", "lambdas/Items.Get exists already")]
    [InlineData("Items.Twice", "GET /items/{id}", "is served by Items.Get already")]
    [InlineData("Items.Bad", "GET items", "must start with '/'")]
    [InlineData("Items.Bad", "FETCH /items/x", "is not a method HTTP API routes on")]
    [InlineData("Items.Bad", "/items/x", "expected \"VERB /path\"")]
    public async Task A_bad_name_a_taken_route_or_a_malformed_route_is_bad_usage_and_writes_nothing(string name, string route, string message)
    {
        var before = Directory.GetFileSystemEntries(_copy.FullName, "*", SearchOption.AllDirectories).Length;

        var result = await RunAsync("new", name, "--route", route);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(_copy.FullName, "*", SearchOption.AllDirectories).Length);
    }

    private async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        using var patience = new CancellationTokenSource(Patience);
        return await ProcessRunner.RunAsync("dotnet", [FnCli.ToolPath, .. arguments], _copy.FullName,
            new Dictionary<string, string> { ["FN_ROOT"] = _copy.FullName }, cancellationToken: patience.Token);
    }

    /// <summary>The repository's sources (what git tracks), and its node_modules by link: what a clone after setup holds.</summary>
    private static DirectoryInfo CopyOfRepository()
    {
        var repository = Repository.Locate();
        var copy = Directory.CreateTempSubdirectory("fn-new-");
        var files = ProcessRunner.RunAsync("git", ["ls-files"], repository.Root).GetAwaiter().GetResult().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files.Where(f => File.Exists(Path.Combine(repository.Root, f))))
        {
            var target = Path.Combine(copy.FullName, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(repository.Root, file), target);
        }
        Directory.CreateSymbolicLink(Path.Combine(copy.FullName, "node_modules"), repository.NodeModules);
        return copy;
    }
}
