using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Functions.Declarations;

namespace Functions.Tools.Scaffold;

/// <summary>A table the new function uses: its id in the CDK app and the access ./fn new was given (read, write, readwrite).</summary>
public sealed record TableRequest(string Table, string Access);

/// <summary>
/// What ./fn new writes for a function (issue 11): lambdas/NAME (project and handler, declared with attributes), a sample
/// event in events/ with its row in events/README.md, and a test that invokes the real binary with it. Nothing else
/// needs an edit: the CDK app discovers the function, ./fn serve routes to it, the tests derive their cases.
/// </summary>
public sealed partial class FunctionScaffold(Repository repository)
{
    private static readonly Dictionary<string, string> AccessNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["read"] = "Read",
        ["write"] = "Write",
        ["readwrite"] = "ReadWrite",
    };

    /// <summary>Checks everything before writing anything, so a refused request leaves no file behind.</summary>
    public IReadOnlyList<string> Create(string name, string route, TableRequest? table)
    {
        if (!FunctionName().IsMatch(name))
        {
            throw new UsageError($"'{name}' is not a function name: use PascalCase words joined by dots, e.g. Items.History.");
        }
        if (Directory.Exists(repository.ProjectFolder(name)))
        {
            throw new UsageError($"lambdas/{name} exists already: choose another name.");
        }
        var (verb, path) = ParseRoute(route);
        var taken = FunctionCatalog.Discover(repository).FirstOrDefault(f => f.Declaration.RouteKey == $"{verb} {path}");
        if (taken is not null)
        {
            throw new UsageError($"{verb} {path} is served by {taken.Name} already (lambdas/{taken.Name}): one route and verb has one function.");
        }
        if (table is not null && (!TableId().IsMatch(table.Table) || !AccessNames.ContainsKey(table.Access)))
        {
            throw new UsageError($"--table {table.Table}:{table.Access}: expected TABLE:read, TABLE:write or TABLE:readwrite, TABLE being a table of the CDK app (e.g. Items).");
        }

        var kebab = Repository.EventName(name);
        var written = new List<string>
        {
            Write(Path.Combine("lambdas", name, name + ".csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />\n"),
            Write(Path.Combine("lambdas", name, TypeName(name) + ".cs"), Handler(name, verb, path, table)),
            Write(Path.Combine("events", kebab + ".json"), Event(verb, path)),
            Write(Path.Combine("tests", "Functions.Tests", "Functions", TypeName(name) + "FunctionTests.cs"), Test(name, kebab)),
        };
        AddEventRow(kebab, name, verb, path);
        written.Add(Path.Combine("events", "README.md"));
        return written;
    }

    /// <summary>"GET /items/{id}/history" -> (GET, /items/{id}/history), checked as HTTP API checks it.</summary>
    public static (string Verb, string Path) ParseRoute(string route)
    {
        var parts = route.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new UsageError($"--route '{route}': expected \"VERB /path\", e.g. --route \"GET /items/{{id}}/history\".");
        }
        var verb = parts[0].ToUpperInvariant();
        var problem = RouteRules.CheckVerb(verb) ?? RouteRules.CheckPath(parts[1]);
        return problem is null ? (verb, parts[1]) : throw new UsageError($"--route '{route}': {problem}.");
    }

    private static string TypeName(string name) => name.Replace(".", "", StringComparison.Ordinal);

    private static string MethodName(string verb) => verb == "ANY" ? "Handle" : verb[0] + verb[1..].ToLowerInvariant();

    private static string Handler(string name, string verb, string path, TableRequest? table)
    {
        var parameters = RouteRules.Parameters(path).ToList();
        var code = new StringBuilder();
        code.AppendLine("using Functions.Http;");
        code.AppendLine("using Functions.Json;");
        code.AppendLine("using Functions.Runtime;");
        code.AppendLine();
        code.AppendLine("namespace Functions.Lambdas;");
        code.AppendLine();
        code.AppendLine($"/// <summary>{verb} {path} (made by ./fn new: say here what it does).</summary>");
        code.AppendLine($"public static class {TypeName(name)}");
        code.AppendLine("{");
        code.AppendLine($"    [HttpApi(\"{verb}\", \"{path}\")]");
        if (table is not null)
        {
            code.AppendLine($"    [UsesTable(\"{table.Table}\", TableAccess.{AccessNames[table.Access]})]");
        }
        var arguments = string.Concat(parameters.Select(p => $"string {p}, "));
        code.AppendLine($"    public static HttpApiResponse {MethodName(verb)}({arguments}InvocationContext context)");
        code.AppendLine("    {");
        if (table is not null)
        {
            code.AppendLine($"        // The {table.Table} table's name is in TABLE_NAME; a service implementing IFunctionService<T> (see");
            code.AppendLine("        // shared/Items/Data/ItemsStore.cs) is built once at init when the handler takes it as a parameter.");
        }
        // An interpolated string: the route's own braces are doubled, the parameters' values are holes.
        var route = path.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        var message = parameters.Count == 0 ? $"{name} answers {verb} {route}" : $"{name} answers {verb} {route} with " + string.Join(", ", parameters.Select(p => $"{p}={{{p}}}"));
        code.AppendLine($"        return Results.Ok(new MessageBody($\"{message.Replace("\"", "\\\"", StringComparison.Ordinal)}\"), FunctionsJson.Wire.MessageBody);");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    /// <summary>A payload 2.0 event for the route, built on events/hello.json: "example" for every path parameter.</summary>
    private string Event(string verb, string path)
    {
        var sample = Path.Combine(repository.Events, "hello.json");
        var template = File.Exists(sample) ? JsonNode.Parse(File.ReadAllText(sample))!.AsObject() : throw new UsageError($"{sample} is missing: ./fn new builds the sample event on it.");
        var parameters = RouteRules.Parameters(path).ToList();
        var rawPath = string.Join('/', path.Split('/').Select(s => s.StartsWith('{') ? "example" : s));
        var method = verb == "ANY" ? "GET" : verb;
        template["routeKey"] = $"{verb} {path}";
        template["rawPath"] = rawPath;
        var http = template["requestContext"]!["http"]!.AsObject();
        http["method"] = method;
        http["path"] = rawPath;
        template["requestContext"]!["routeKey"] = $"{verb} {path}";
        if (parameters.Count > 0)
        {
            var values = new JsonObject();
            foreach (var parameter in parameters)
            {
                values[parameter] = "example";
            }
            template["pathParameters"] = values;
        }
        return template.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Test(string name, string kebab) => $$"""
        using System.Text.Json;
        using Functions.Tests.Cli;

        namespace Functions.Tests.Functions;

        /// <summary>{{name}} answers its sample event through the real binary (made by ./fn new: add its behaviours here).</summary>
        [Collection(BuiltFunctionsCollection.Name)]
        public sealed class {{TypeName(name)}}FunctionTests(BuiltFunctionsFixture functions)
        {
            [Fact]
            public async Task {{TypeName(name)}}_answers_its_sample_event_with_200()
            {
                _ = functions; // Built with every other function, so invoke finds it up to date.

                var result = await FnCli.RunAsync(TimeSpan.FromMinutes(5), null, "invoke", "{{name}}", "--event", "events/{{kebab}}.json");

                Assert.True(result.ExitCode == 0, result.Stderr);
                Assert.Equal(200, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("statusCode").GetInt32());
            }
        }

        """;

    /// <summary>events/README.md lists every event with its status (tests/Functions.Tests/Events checks it): one row more.</summary>
    private void AddEventRow(string kebab, string name, string verb, string path)
    {
        var readme = Path.Combine(repository.Events, "README.md");
        var lines = File.ReadAllLines(readme).ToList();
        var last = lines.FindLastIndex(l => l.StartsWith("| `", StringComparison.Ordinal));
        var row = $"| `{kebab}.json` | {name} | 200 | {verb} {path}, made by `./fn new` |";
        lines.Insert(last < 0 ? lines.Count : last + 1, row);
        File.WriteAllText(readme, string.Join('\n', lines) + "\n");
    }

    private string Write(string relative, string content)
    {
        var path = Path.Combine(repository.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return relative;
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*(\\.[A-Z][A-Za-z0-9]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TableId();
}
