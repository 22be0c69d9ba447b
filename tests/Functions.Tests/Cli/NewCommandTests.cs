using System.Security.Cryptography;
using System.Text.Json;

namespace Functions.Tests.Cli;

/// <summary>
/// ./fn new end to end in a copy of the repository: the scaffold is picked up by the CDK app, invoked for real, and
/// every bad name or route is refused before a file is written. Refusals build nothing, so they are many
/// and cheap; the two scaffolds that build are the README's example and one at every limit at once.
/// </summary>
public sealed class NewCommandTests : IDisposable
{
    /// <summary>A synthesis of the copy's CDK app and a JIT build of the new function.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private readonly DirectoryInfo _copy = RepositoryCopy.Create("fn-new-");

    public void Dispose() => _copy.Delete(recursive: true);

    [Fact]
    public async Task New_functions_with_a_table_are_declared_with_their_IAM_and_really_write_and_read_it_with_either_client()
    {
        // Arrange: one DynamoDB for both invocations, kept in a folder of its own.
        var data = Path.Combine(_copy.FullName, ".fn", "test-data");

        // Act
        var reader = await RunAsync("new", "Items.History", "--route", "GET /items/{id}/history", "--table", "Items:read");
        var writer = await RunAsync("new", "Items.Stamp", "--route", "PUT /items/{id}/stamp", "--table", "Items:write", "--client", "sdk");
        var missing = await RunAsync("invoke", "Items.History", "--event", "events/items-history.json", "--mode", "jit", "--in-memory");
        var written = await RunAsync("invoke", "Items.Stamp", "--event", "events/items-stamp.json", "--mode", "jit", "--data-dir", data);
        var found = await RunAsync("invoke", "Items.History", "--event", "events/items-history.json", "--mode", "jit", "--data-dir", data);

        // Assert
        Assert.True(reader.ExitCode == 0, reader.Stderr);
        Assert.True(writer.ExitCode == 0, writer.Stderr);
        var repository = new Repository(_copy.FullName);
        Assert.Equal("GET /items/{id}/history", FunctionCatalog.Read(repository, "Items.History").Declaration.RouteKey);
        Assert.Equal(["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"], FunctionCatalog.Read(repository, "Items.History").Declaration.Tables.Single().Actions);
        Assert.Equal(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"], FunctionCatalog.Read(repository, "Items.Stamp").Declaration.Tables.Single().Actions);
        Assert.Contains("shared/DynamoDb/Functions.DynamoDb.csproj", File.ReadAllText(Path.Combine(_copy.FullName, "lambdas", "Items.History", "Items.History.csproj")), StringComparison.Ordinal);
        Assert.Contains("AWSSDK.DynamoDBv2", File.ReadAllText(Path.Combine(_copy.FullName, "lambdas", "Items.Stamp", "Items.Stamp.csproj")), StringComparison.Ordinal);
        Assert.Contains("Items.History.csproj", File.ReadAllText(Path.Combine(_copy.FullName, "Functions.sln")), StringComparison.Ordinal);
        var events = File.ReadAllText(Path.Combine(_copy.FullName, "events", "README.md"));
        Assert.Contains("`items-history.json` | Items.History | 404 |", events, StringComparison.Ordinal);
        Assert.Contains("`items-stamp.json` | Items.Stamp | 200 |", events, StringComparison.Ordinal);
        Assert.Contains("_answers_its_sample_event_with_404", File.ReadAllText(Path.Combine(_copy.FullName, "tests", "Functions.Tests", "Functions", "ItemsHistoryFunctionTests.cs")), StringComparison.Ordinal);
        Assert.Equal((404, "There is no item example in Items."), (Status(missing), Problem(missing)));
        Assert.Equal((200, "Items.Stamp wrote example to Items"), (Status(written), Message(written)));
        Assert.Equal((200, "Items.History found example in Items"), (Status(found), Message(found)));
        var template = File.ReadAllText(Path.Combine(_copy.FullName, ".fn", "cdk.out", "ItemsApi.template.json"));
        Assert.Contains("\"GET /items/{id}/history\"", template, StringComparison.Ordinal);
    }

    private static int Status(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("statusCode").GetInt32();
    }

    private static string? Message(ProcessResult result) =>
        JsonDocument.Parse(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("body").GetString()!).RootElement.GetProperty("message").GetString();

    private static string? Problem(ProcessResult result) =>
        JsonDocument.Parse(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("body").GetString()!).RootElement.GetProperty("detail").GetString();

    [Fact]
    public async Task A_name_and_a_route_at_every_limit_scaffold_a_function_that_builds_and_answers_and_only_what_changed_is_listed()
    {
        // Arrange: a 64-character name (Lambda's limit), a 1,000-character path (the CDK's), a C# keyword and a
        // 128-character name as parameters.
        var name = "Limits." + new string('A', 64 - 7);
        var parameter = new string('p', 128);
        var path = "/" + new string('l', 1000 - 1 - "/{class}".Length - 3 - parameter.Length) + "/{class}/{" + parameter + "}";
        Assert.Equal(1000, path.Length);
        var before = Snapshot();

        // Act
        var created = await RunAsync("new", name, "--route", "GET " + path);
        var changed = Changes(before, Snapshot());
        var invoked = await RunAsync("invoke", name, "--event", $"events/{Repository.EventName(name)}.json", "--mode", "jit", "--in-memory");

        // Assert
        Assert.True(created.ExitCode == 0, created.Stderr);
        var listed = created.Stdout.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim()).Order(StringComparer.Ordinal);
        Assert.Equal(changed, listed);
        Assert.Contains("Functions.sln", changed);
        Assert.True(invoked.ExitCode == 0, invoked.Stderr);
        var body = JsonDocument.Parse(JsonDocument.Parse(invoked.Stdout).RootElement.GetProperty("body").GetString()!).RootElement;
        Assert.EndsWith($"with class=example, {parameter}=example", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A name, a route or a table ./fn new refuses, and the words of its one-line refusal.</summary>
    public static TheoryData<string, string, string?, string> Refusals => new()
    {
        // Names: PascalCase ASCII words joined by dots, at most 64 characters.
        { "items-history", "GET /items/{id}/history", null, "is not a function name" },
        { "", "GET /probe", null, "'' is not a function name" },
        { " Probe", "GET /probe", null, "' Probe' is not a function name" },
        { "Prôbe", "GET /probe", null, "'Prôbe' is not a function name" },
        { "Probe\nNext", "GET /probe", null, "'Probe\\u000aNext' is not a function name" },
        { new string('A', 250), "GET /probe", null, "is 250 characters: a function name has at most 64" },
        { "Limits." + new string('A', 65 - 7), "GET /probe", null, "is 65 characters: a function name has at most 64" },
        { "Con.Get", "GET /probe", null, "a name Windows keeps for a device" },
        { "Results", "GET /probe", null, "would name the handler class Results" },
        // Names taken: a function (in any case), a project of the solution.
        { "Items.Get", "GET /items/{id}/x", null, "lambdas/Items.Get exists already: choose another name." },
        { "HELLO", "GET /probe/hello", null, "lambdas/Hello exists already, and HELLO differs from it only in case" },
        { "Items.GET", "GET /probe", null, "lambdas/Items.Get exists already, and Items.GET differs from it only in case" },
        { "Functions.Tools", "GET /probe", null, "Functions.Tools is the name of tools/Functions.Tools.csproj in Functions.sln already" },
        // Routes taken, by the same route or the same one with other parameter names.
        { "Items.Twice", "GET /items/{id}", null, "is served by Items.Get already" },
        { "Items.Twice", "GET /items/{key}", null, "GET /items/{key} is served by Items.Get already as GET /items/{id}" },
        // Routes refused: one of the route rules (each is tested in RouteRulesTests), the shape ./fn new reads, a message that stays one short line.
        { "Items.Bad", "GET items", null, "must start with '/'" },
        { "Items.Bad", "/items/x", null, "expected \"VERB /path\"" },
        { "Items.Bad", "", null, "expected \"VERB /path\"" },
        { "Items.Bad", "GET /a\tb", null, "a route cannot hold a tab, a line break or another control character" },
        { "Items.Bad", "GET /" + new string('a', 5000), null, "the path is 5001 characters, more than the 1000 a route may have" },
        // Route parameters the handler ./fn new writes cannot take: its InvocationContext, the types it names.
        { "Items.Bad", "GET /probe/{context}", null, "the parameter {context} would hide the context the handler fn new writes uses" },
        { "Items.Bad", "GET /probe/{Results}", null, "the parameter {Results} would hide the Results" },
        // Tables: one the CDK app defines (build/StackTables.cs), an access ./fn new knows.
        { "Items.Bad", "GET /probe", "Nope:read", "Nope is not a table of the CDK app (its tables: Items;" },
        { "Items.Bad", "GET /probe", "items:read", "items is not a table of the CDK app" },
        { "Items.Bad", "GET /probe", "Items:all", "the access is read, write or readwrite" },
        { "Items.Bad", "GET /probe", "Items", "expected TABLE:read, TABLE:write or TABLE:readwrite" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task What_cannot_work_is_refused_as_bad_usage_in_one_line_and_nothing_is_written(string name, string route, string? table, string message)
    {
        // Arrange
        var before = Snapshot();

        // Act
        var result = await RunAsync(["new", name, "--route", route, .. table is null ? [] : new[] { "--table", table }]);

        // Assert
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.TrimEnd('\n').Split('\n');
        Assert.Contains(message, lines[^1], StringComparison.Ordinal);
        Assert.All(lines[..^1], line => Assert.StartsWith("Synthesizing the CDK app", line, StringComparison.Ordinal)); // --table reads the template.
        Assert.Empty(Changes(before, Snapshot()));
    }

    [Theory]
    [InlineData("--client", "sdk", "--client picks the client of the table --table names: give --table too.")]
    [InlineData("--client", "boto", "--client 'boto': the client is lean or sdk.")]
    public async Task A_client_without_a_table_or_of_no_known_kind_is_bad_usage(string option, string value, string message)
    {
        var before = Snapshot();

        var result = await RunAsync("new", "Items.Bad", "--route", "GET /probe", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr.Trim());
        Assert.Empty(Changes(before, Snapshot()));
    }

    [Fact]
    public async Task A_name_that_differs_from_a_function_only_in_case_leaves_that_functions_tracked_event_file_as_it_was()
    {
        // Arrange: events/hello.json is Hello's, and events/ is lower case for every name.
        var sample = Path.Combine(_copy.FullName, "events", "hello.json");
        var original = File.ReadAllBytes(sample);

        // Act
        var result = await RunAsync("new", "HELLO", "--route", "GET /probe/hello");

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(original, File.ReadAllBytes(sample));
        Assert.False(Directory.Exists(Path.Combine(_copy.FullName, "lambdas", "HELLO")));
    }

    [Theory]
    [InlineData("events/probe-x.json", "events/probe-x.json exists already: fn new never writes over a file")]
    [InlineData("tests/Functions.Tests/Functions/ProbeXFunctionTests.cs", "tests/Functions.Tests/Functions/ProbeXFunctionTests.cs exists already")]
    [InlineData("lambdas/probe.x/notes.md", "lambdas/probe.x exists already, and Probe.X differs from it only in case")]
    [InlineData("lambdas/Probe.X/notes.md", "lambdas/Probe.X exists already: choose another name.")]
    public async Task A_file_or_folder_in_the_way_is_never_written_over_and_nothing_is_written(string existing, string message)
    {
        // Arrange: a file of the user's where ./fn new Probe.X would write (or in the folder it would make).
        var path = Path.Combine(_copy.FullName, existing);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "mine\n");
        var before = Snapshot();

        // Act
        var result = await RunAsync("new", "Probe.X", "--route", "GET /probe/x");

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Changes(before, Snapshot()));
    }

    private async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        using var patience = new CancellationTokenSource(Patience);
        return await ProcessRunner.RunAsync("dotnet", [FnCli.ToolPath, .. arguments], _copy.FullName,
            new Dictionary<string, string> { ["FN_ROOT"] = _copy.FullName }, cancellationToken: patience.Token);
    }

    /// <summary>
    /// Every source file of the copy by its path, with a hash of its bytes: not node_modules (a link), and not what
    /// building and synthesizing leave (.fn/, bin/, obj/), which --table's read of the template makes.
    /// </summary>
    private Dictionary<string, string> Snapshot()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(_copy.FullName, "*", options)
            .Where(file => !Path.GetRelativePath(_copy.FullName, file).Replace('\\', '/').Split('/').Any(part => part is ".fn" or "bin" or "obj"))
            .ToDictionary(
            file => Path.GetRelativePath(_copy.FullName, file).Replace('\\', '/'),
            file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))),
            StringComparer.Ordinal);
    }

    /// <summary>The paths made, changed or removed between two snapshots, in order.</summary>
    private static List<string> Changes(Dictionary<string, string> before, Dictionary<string, string> after) =>
        [.. before.Keys.Union(after.Keys).Where(p => before.GetValueOrDefault(p) != after.GetValueOrDefault(p)).Order(StringComparer.Ordinal)];
}
