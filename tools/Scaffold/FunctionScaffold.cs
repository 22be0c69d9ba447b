using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Functions.Declarations;
using Functions.Tools.Template;
using Microsoft.CodeAnalysis.CSharp;

namespace Functions.Tools.Scaffold;

/// <summary>A table the new function uses: its id in the CDK app and the access fn new was given (read, write, readwrite).</summary>
public sealed record TableRequest(string Table, string Access, TableClient Client = TableClient.Lean)
{
    /// <summary>"Items:read" -> (Items, read); whether the table and access exist is checked with the rest, before writing.</summary>
    public static TableRequest Parse(string text, TableClient client = TableClient.Lean)
    {
        var parts = text.Split(':', 2);
        return parts.Length == 2 ? new TableRequest(parts[0], parts[1], client)
            : throw new UsageError($"--table '{FunctionScaffold.Shown(text)}': expected TABLE:read, TABLE:write or TABLE:readwrite, e.g. --table Orders:read.");
    }
}

/// <summary>
/// What fn new writes for a function: lambdas/NAME (project and handler, declared with attributes), a sample
/// event in events/ with its row in events/README.md, and a test that invokes the real binary with it. Nothing else
/// needs an edit: the CDK app discovers the function, ./fn serve routes to it, the tests derive their cases.
/// Everything is checked before anything is written, no file is ever written over, and what is written builds.
/// </summary>
public sealed partial class FunctionScaffold(Repository repository)
{
    /// <summary>
    /// The longest function name. The name is the function's name where Lambda sees one (the template's fn:function, so
    /// AWS_LAMBDA_FUNCTION_NAME and `aws lambda invoke --function-name NAME` against ./fn serve), and Lambda allows 64
    /// characters. It is in file names too (NAME.csproj, obj/NAME.csproj.nuget.dgspec.json, ...: up to 40 characters
    /// more), which 64 keeps far under the 255 bytes of a file name (NAME_MAX).
    /// </summary>
    public const int MaxNameLength = 64;

    /// <summary>How much of what was given a message repeats: enough to recognise it, never a screenful.</summary>
    private const int ShownLength = 64;

    private static readonly Dictionary<string, string> AccessNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["read"] = "Read",
        ["write"] = "Write",
        ["readwrite"] = "ReadWrite",
    };

    /// <summary>
    /// Every name the handler below uses besides its route parameters: a route parameter so named would hide it in the
    /// handler's body (string context hides the InvocationContext; string Results the type), and so would a handler class.
    /// </summary>
    private static readonly HashSet<string> HandlerNames = new(StringComparer.Ordinal)
    {
        "context", "Results", "MessageBody", "FunctionsJson", "HttpApiResponse", "InvocationContext", "HttpApi", "UsesTable", "TableAccess",
    };

    /// <summary>Names Windows keeps for devices, with any extension: lambdas/Con.Get would be the console there.</summary>
    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// Checks everything before writing anything (name, route, table, every path it would write), so a refused request
    /// leaves no file behind; returns the files written, relative to the root.
    /// </summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string name, string route, TableRequest? table, CancellationToken cancellationToken)
    {
        CheckName(name);
        var (verb, path) = ParseRoute(route);
        CheckRouteIsFree(verb, path);
        var tests = TestProject.Find(repository);
        // Last: --table reads the synthesized template, which may have to be synthesized first.
        var access = await CheckTableAsync(name, path, table, cancellationToken);

        var kebab = Repository.EventName(name);
        var files = new List<(string Relative, string Content)>
        {
            ($"lambdas/{name}/{name}.csproj", Project(access)),
            ($"lambdas/{name}/{TypeName(name)}.cs", Handler(AppName, name, verb, path, table, access)),
            ($"events/{kebab}.json", Event(verb, path, access)),
            (tests.TestFile(TypeName(name)), Test(tests, name, kebab, access)),
        };
        foreach (var (relative, _) in files)
        {
            if (InTheWay(relative) is { } existing)
            {
                throw new UsageError($"{existing} exists already: fn new never writes over a file; choose another name, or move the file.");
            }
        }
        var readme = EventsReadme(kebab, name, verb, path, access);

        var written = new List<string>();
        try
        {
            foreach (var (relative, content) in files)
            {
                WriteNew(relative, content, written);
            }
            File.WriteAllText(Path.Combine(repository.Events, "README.md"), readme);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Remove(written);
            throw new UserError($"Could not write the function ({e.Message}); nothing was left behind.");
        }
        return [.. written.Where(f => !f.EndsWith('/')), "events/README.md"];
    }

    /// <summary>"GET /items/{id}/history" -> (GET, /items/{id}/history), checked as HTTP API checks it (shared/Generator/Declarations/RouteRules.cs).</summary>
    public static (string Verb, string Path) ParseRoute(string route)
    {
        // Refused before anything repeats it: a line break would split the one-line message, a huge route would flood it.
        if (route.Any(char.IsControl))
        {
            throw new UsageError($"--route '{Shown(route)}': a route cannot hold a tab, a line break or another control character.");
        }
        var parts = route.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new UsageError($"--route '{Shown(route)}': expected \"VERB /path\", e.g. --route \"GET /items/{{id}}/history\".");
        }
        var verb = parts[0].ToUpperInvariant();
        if (!RouteRules.TryParse(Shown(verb), parts[1], RouteStrictness.Handler, out _, out var problem))
        {
            throw new UsageError($"--route '{Shown(route)}': {problem}.");
        }
        if (RouteRules.Parameters(parts[1]).FirstOrDefault(HandlerNames.Contains) is { } hidden)
        {
            throw new UsageError($"--route '{Shown(route)}': the parameter {{{hidden}}} would hide the {hidden} the handler fn new writes uses: name it otherwise.");
        }
        return (verb, parts[1]);
    }

    /// <summary>What a message repeats of something given: at most 64 characters, on one line.</summary>
    internal static string Shown(string text) => ShownText.Of(text, ShownLength);

    private void CheckName(string name)
    {
        if (name.Length > MaxNameLength)
        {
            throw new UsageError($"'{Shown(name)}' is {name.Length} characters: a function name has at most {MaxNameLength}, as Lambda's do.");
        }
        if (!FunctionName().IsMatch(name))
        {
            throw new UsageError($"'{Shown(name)}' is not a function name: use PascalCase words (ASCII letters and digits) joined by dots, e.g. Items.History.");
        }
        // Windows reads the name before the first dot: lambdas/Con.Get is the device CON with an extension.
        if (DeviceNames.Contains(name.Split('.')[0]))
        {
            throw new UsageError($"'{name}' starts with {name.Split('.')[0]}, a name Windows keeps for a device: lambdas/{name} could not be made there; choose another name.");
        }
        if (HandlerNames.Contains(TypeName(name)))
        {
            throw new UsageError($"'{name}' would name the handler class {TypeName(name)}, which hides the type of that name the handler uses: choose another name.");
        }
        // Case-insensitively: on macOS and Windows HELLO is lambdas/Hello, and every name has its events file in lower case.
        if (InTheWay($"lambdas/{name}") is { } folder)
        {
            throw new UsageError(folder == $"lambdas/{name}"
                ? $"{folder} exists already: choose another name."
                : $"{folder} exists already, and {name} differs from it only in case (macOS and Windows would see one folder, and both have events/{Repository.EventName(name)}.json): choose another name.");
        }
        if (SolutionProjects().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } project)
        {
            throw new UsageError($"{name} is the name of {project.Path} in {Path.GetFileName(repository.Solution)} already (one name, one project): choose another name.");
        }
    }

    /// <summary>One verb and path, one function: the same path with other parameter names is the same route (build/FunctionCatalog.cs).</summary>
    private void CheckRouteIsFree(string verb, string path)
    {
        if (FunctionCatalog.Serving(FunctionCatalog.Discover(repository), verb, path) is { } taken)
        {
            var same = taken.Declaration.RouteKey == $"{verb} {path}" ? "" : $" as {taken.Declaration.RouteKey}";
            throw new UsageError($"{verb} {path} is served by {taken.Name} already{same} (lambdas/{taken.Name}): one route and verb has one function.");
        }
    }

    /// <summary>
    /// A table the app's stack gives its functions (FunctionsHttpApi marks each in the template with the name [UsesTable]
    /// takes), read from the synthesized template, which is synthesized first when infra/ changed; and how the handler
    /// will use it, with its keys.
    /// </summary>
    private async Task<TableHandler?> CheckTableAsync(string name, string path, TableRequest? table, CancellationToken cancellationToken)
    {
        if (table is null)
        {
            return null;
        }
        var given = $"--table '{Shown(table.Table)}:{Shown(table.Access)}'";
        if (!AccessNames.ContainsKey(table.Access))
        {
            throw new UsageError($"{given}: the access is read, write or readwrite.");
        }
        var parameters = RouteRules.Parameters(path).ToList();
        if (parameters.FirstOrDefault(TableHandler.Names.Contains) is { } hidden)
        {
            throw new UsageError($"{given}: the route's parameter {{{hidden}}} would hide the {hidden} the handler fn new writes for a table uses: name it otherwise.");
        }
        if (table.Client == TableClient.Sdk && !DeclaresPackage("AWSSDK.DynamoDBv2"))
        {
            throw new UsageError($"--client sdk: Directory.Packages.props has no version of AWSSDK.DynamoDBv2: add <PackageVersion Include=\"AWSSDK.DynamoDBv2\" Version=\"4.1.0\" /> to it.");
        }
        var template = await new TemplateSource(repository).LoadAsync(cancellationToken);
        var tables = template.Tables.Where(t => t.Name is not null).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var found = tables.FirstOrDefault(t => t.Name == table.Table);
        if (found is null)
        {
            var known = tables.Count == 0 ? "it has none yet" : $"its tables: {string.Join(", ", tables.Select(t => t.Name))}";
            throw new UsageError($"{given}: {Shown(table.Table)} is not a table of the CDK app ({known}; "
                + "the stack gives each to FunctionsHttpApi's Tables under the name [UsesTable] takes).");
        }
        var partition = found.Keys.FirstOrDefault(k => k.KeyType == "HASH");
        var sort = found.Keys.FirstOrDefault(k => k.KeyType == "RANGE");
        if (partition.Name is null || found.Keys.Any(k => k.Type is not ("S" or "N")))
        {
            throw new UsageError($"{given}: fn new writes handlers for tables keyed by strings or numbers (S, N); {table.Table}'s keys are {string.Join(", ", found.Keys.Select(k => $"{k.Name} ({k.Type})"))}.");
        }
        return new TableHandler(name, table.Table, table.Access != "read", table.Client, (partition.Name, partition.Type),
            sort.Name is null ? null : (sort.Name, sort.Type), parameters.FirstOrDefault());
    }

    /// <summary>Whether the app's Directory.Packages.props gives the package a version.</summary>
    private bool DeclaresPackage(string package)
    {
        var props = Path.Combine(repository.Root, "Directory.Packages.props");
        return File.Exists(props) && File.ReadAllText(props).Contains($"Include=\"{package}\"", StringComparison.Ordinal);
    }

    /// <summary>The function's project: empty, or with the table client's package.</summary>
    private string Project(TableHandler? access) => access is null
        ? "<Project Sdk=\"Microsoft.NET.Sdk\" />\n"
        : $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                {access.ProjectItem(File.Exists(Path.Combine(repository.Shared, "DynamoDb", "Functions.DynamoDb.csproj")))}
              </ItemGroup>
            </Project>

            """;

    /// <summary>The projects (and solution folders) of the app's solution by name: a function's project is added under its name.</summary>
    private IEnumerable<(string Name, string Path)> SolutionProjects()
    {
        var solution = repository.Solution
            ?? throw new UserError($"{repository.Root} has {(Directory.GetFiles(repository.Root, "*.sln").Length == 0 ? "no" : "more than one")} .sln: fn new adds the function to the app's one solution.");
        return File.ReadLines(solution).Select(line => SolutionProject().Match(line)).Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Replace('\\', '/')));
    }

    /// <summary>
    /// The entry at a relative path, compared without case at every level (macOS and Windows would open it), with the
    /// case it has on disk; null when there is none.
    /// </summary>
    private string? InTheWay(string relative)
    {
        var current = repository.Root;
        var found = new List<string>();
        foreach (var part in relative.Split('/'))
        {
            var entry = Directory.Exists(current)
                ? Directory.EnumerateFileSystemEntries(current).Select(Path.GetFileName).FirstOrDefault(e => string.Equals(e, part, StringComparison.OrdinalIgnoreCase))
                : null;
            if (entry is null)
            {
                return null;
            }
            found.Add(entry);
            current = Path.Combine(current, entry);
        }
        return string.Join('/', found);
    }

    /// <summary>Writes a file that must not exist (CreateNew: not even one made since the check), noting every folder and file it made.</summary>
    private void WriteNew(string relative, string content, List<string> made)
    {
        var folder = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.LastIndexOf('/')] : "";
        var missing = new Stack<string>();
        for (var f = folder; f.Length > 0 && !Directory.Exists(Path.Combine(repository.Root, f)); f = f.Contains('/', StringComparison.Ordinal) ? f[..f.LastIndexOf('/')] : "")
        {
            missing.Push(f);
        }
        foreach (var f in missing)
        {
            Directory.CreateDirectory(Path.Combine(repository.Root, f));
            made.Add(f + "/");
        }
        using var stream = new FileStream(Path.Combine(repository.Root, relative), FileMode.CreateNew, FileAccess.Write);
        made.Add(relative);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    /// <summary>Undoes <see cref="WriteNew"/>: its files, then its folders, newest first.</summary>
    private void Remove(List<string> made)
    {
        foreach (var entry in Enumerable.Reverse(made))
        {
            var full = Path.Combine(repository.Root, entry.TrimEnd('/'));
            try
            {
                if (entry.EndsWith('/'))
                {
                    Directory.Delete(full);
                }
                else
                {
                    File.Delete(full);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort while reporting the first failure: a folder something else wrote into stays.
            }
        }
    }

    private static string TypeName(string name) => name.Replace(".", "", StringComparison.Ordinal);

    /// <summary>Get, Post...; Handle for ANY. A method cannot have its class's name (CS0542): Get in class Get is GetRequest.</summary>
    private static string MethodName(string name, string verb)
    {
        var method = verb == "ANY" ? "Handle" : verb[0] + verb[1..].ToLowerInvariant();
        return method == TypeName(name) ? method + "Request" : method;
    }

    /// <summary>A route parameter as a C# identifier: {class} is the parameter @class, which the generator binds to {class}.</summary>
    private static string Identifier(string parameter) =>
        SyntaxFacts.GetKeywordKind(parameter) != SyntaxKind.None ? "@" + parameter : parameter;

    /// <summary>The app's name, its solution's (Functions here, Orders in an app `dotnet new fn-api -n Orders` made): its handlers are in APP.Lambdas.</summary>
    private string AppName => Path.GetFileNameWithoutExtension(repository.Solution) ?? "Functions";

    private static string Handler(string app, string name, string verb, string path, TableRequest? table, TableHandler? access)
    {
        var parameters = RouteRules.Parameters(path).ToList();
        var usings = new List<string> { "Functions.Http", "Functions.Json", "Functions.Runtime" };
        if (app != "Functions")
        {
            usings.Add("Functions");
        }
        usings.AddRange(access?.Usings ?? []);
        var code = new StringBuilder();
        foreach (var import in usings.Order(StringComparer.Ordinal))
        {
            code.AppendLine($"using {import};");
        }
        code.AppendLine();
        code.AppendLine($"namespace {app}.Lambdas;");
        code.AppendLine();
        code.AppendLine($"/// <summary>{verb} {path} (made by fn new: say here what it does).</summary>");
        code.AppendLine($"public static class {TypeName(name)}");
        code.AppendLine("{");
        if (access is not null)
        {
            code.Append(access.TableField);
            code.AppendLine();
        }
        code.AppendLine($"    [HttpApi(\"{verb}\", \"{path}\")]");
        if (table is not null)
        {
            code.AppendLine($"    [UsesTable(\"{table.Table}\", TableAccess.{AccessNames[table.Access]})]");
        }
        var arguments = string.Concat(parameters.Select(p => $"string {Identifier(p)}, "));
        if (access is not null)
        {
            code.AppendLine($"    public static async Task<HttpApiResponse> {MethodName(name, verb)}({arguments}{access.ClientParameter}, InvocationContext context)");
            code.AppendLine("    {");
            code.Append(access.Body());
            code.AppendLine("    }");
            code.AppendLine("}");
            return code.ToString();
        }
        code.AppendLine($"    public static HttpApiResponse {MethodName(name, verb)}({arguments}InvocationContext context)");
        code.AppendLine("    {");
        // An interpolated string: the route's own braces are doubled, the parameters' values are holes.
        var route = path.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        var message = parameters.Count == 0 ? $"{name} answers {verb} {route}" : $"{name} answers {verb} {route} with " + string.Join(", ", parameters.Select(p => $"{p}={{{Identifier(p)}}}"));
        code.AppendLine($"        return Results.Ok(new MessageBody($\"{message.Replace("\"", "\\\"", StringComparison.Ordinal)}\"), FunctionsJson.Wire.MessageBody);");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    /// <summary>A payload 2.0 event for the route, built on events/hello.json: "example" for every path parameter.</summary>
    private string Event(string verb, string path, TableHandler? access)
    {
        var sample = Path.Combine(repository.Events, "hello.json");
        JsonObject? template = null;
        try
        {
            template = File.Exists(sample) ? JsonNode.Parse(File.ReadAllText(sample)) as JsonObject : null;
        }
        catch (JsonException)
        {
            // Reported below, as a file that is missing.
        }
        if (template?["requestContext"]?["http"] is not JsonObject http)
        {
            throw new UserError("events/hello.json is missing or not a payload 2.0 event: fn new builds the sample event on it; restore it with git checkout events/hello.json.");
        }
        var parameters = RouteRules.Parameters(path).ToList();
        // "example" for every parameter; a number for one that is a table's numeric key.
        string Sample(string parameter) => access is { PartitionKey.Type: "N" } && access.Parameter == parameter ? "1" : "example";
        var rawPath = string.Join('/', path.Split('/').Select(s => s.StartsWith('{') ? Sample(s.Trim('{', '}', '+')) : s));
        var method = verb == "ANY" ? "GET" : verb;
        template["routeKey"] = $"{verb} {path}";
        template["rawPath"] = rawPath;
        http["method"] = method;
        http["path"] = rawPath;
        template["requestContext"]!["routeKey"] = $"{verb} {path}";
        if (parameters.Count > 0)
        {
            var values = new JsonObject();
            foreach (var parameter in parameters)
            {
                values[parameter] = Sample(parameter);
            }
            template["pathParameters"] = values;
        }
        return template.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Test(TestProject tests, string name, string kebab, TableHandler? access)
    {
        // A function with a table runs on an empty in-memory DynamoDB: what its sample event finds does not depend on
        // what earlier runs left in .fn/data.
        var status = access?.SampleStatus ?? 200;
        var inMemory = access is null ? "" : ", \"--in-memory\"";
        // Where the test project builds every function once for all its tests (this repository), the test joins it.
        var (collection, fixture, shared) = tests.SharesBuiltFunctions
            ? ("[Collection(BuiltFunctionsCollection.Name)]\n", "(BuiltFunctionsFixture functions)", "\n        _ = functions; // Built with every other function, so invoke finds it up to date.\n")
            : ("", "", "");
        return $$"""
            using System.Text.Json;
            using {{tests.CliNamespace}};

            namespace {{tests.TestsNamespace}};

            /// <summary>{{name}} answers its sample event through the real binary (made by fn new: add its behaviours here).</summary>
            {{collection}}public sealed class {{TypeName(name)}}FunctionTests{{fixture}}
            {
                [Fact]
                public async Task {{TypeName(name)}}_answers_its_sample_event_with_{{status}}()
                {{{shared}}
                    var result = await FnCli.RunAsync(TimeSpan.FromMinutes(5), null, "invoke", "{{name}}", "--event", "events/{{kebab}}.json"{{inMemory}});

                    Assert.True(result.ExitCode == 0, result.Stderr);
                    Assert.Equal({{status}}, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("statusCode").GetInt32());
                }
            }

            """;
    }

    /// <summary>events/README.md lists every event with its status (tests/Functions.Tests/Events checks it): its text with one row more.</summary>
    private string EventsReadme(string kebab, string name, string verb, string path, TableHandler? access)
    {
        var readme = Path.Combine(repository.Events, "README.md");
        if (!File.Exists(readme))
        {
            throw new UserError("events/README.md is missing: fn new adds the new event's row to it; restore it with git checkout events/README.md.");
        }
        var lines = File.ReadAllLines(readme).ToList();
        var last = lines.FindLastIndex(l => l.StartsWith("| `", StringComparison.Ordinal));
        var row = access is null
            ? $"| `{kebab}.json` | {name} | 200 | {verb} {path}, made by `fn new` |"
            : $"| `{kebab}.json` | {name} | {access.SampleStatus} | {verb} {path}: {access.SampleWhy}; made by `fn new` |";
        lines.Insert(last < 0 ? lines.Count : last + 1, row);
        return string.Join('\n', lines) + "\n";
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*(\\.[A-Z][A-Za-z0-9]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    /// <summary>A project line of a .sln: Project("{type}") = "Name", "path\to\Name.csproj", "{guid}".</summary>
    [GeneratedRegex("^Project\\(\"[^\"]*\"\\)\\s*=\\s*\"([^\"]+)\",\\s*\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex SolutionProject();
}
