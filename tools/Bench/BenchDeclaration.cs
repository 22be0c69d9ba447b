using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace Functions.Tools.Bench;

/// <summary>The items a function's sample event acts on, for one table it uses (named as in its [UsesTable]).</summary>
internal sealed record TableFixture(string Table, string File, IReadOnlyList<Dictionary<string, AttributeValue>> Items);

/// <summary>
/// How a function is benchmarked, written beside its code in lambdas/NAME/bench.json (tools/ knows no app):
/// the DynamoDB request units one successful invocation consumes, with why, and the fixture files whose items must
/// exist for its sample event to succeed. Both are optional: units are then derived from the declared table access,
/// and the event runs against empty tables.
/// <code>
/// { "requestUnits": { "read": 1, "write": 0, "why": "One strongly consistent GetItem under 4 KB." },
///   "fixtures": ["events/fixtures/items.json"] }
/// </code>
/// A fixture file maps a table to its items in DynamoDB JSON, the form `aws dynamodb put-item --item` takes:
/// <c>{ "Items": [ { "id": { "S": "..." }, "price": { "N": "12.5" } } ] }</c>.
/// </summary>
internal sealed record BenchDeclaration(RequestUnits? Units, IReadOnlyList<TableFixture> Fixtures)
{
    public const string FileName = FunctionInputs.BenchFile;

    public static BenchDeclaration None { get; } = new(null, []);

    /// <exception cref="BadFileError">The file or a fixture it names is unreadable; the message names the file and the field.</exception>
    public static BenchDeclaration Load(Repository repository, DeclaredFunction function)
    {
        var path = Path.Combine(repository.Root, function.Project, FileName);
        if (!File.Exists(path))
        {
            return None;
        }
        using var document = Parse(path);
        var root = document.RootElement;
        var shown = Path.GetRelativePath(repository.Root, path);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadFileError($"{shown} must be a JSON object with \"requestUnits\" and/or \"fixtures\".");
        }
        foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("requestUnits" or "fixtures" or "$comment")))
        {
            throw new BadFileError($"{shown}: unknown field \"{property.Name}\"; expected \"requestUnits\" and/or \"fixtures\".");
        }
        var units = root.TryGetProperty("requestUnits", out var declared) ? ReadUnits(shown, declared) : null;
        var fixtures = root.TryGetProperty("fixtures", out var files) ? ReadFixtures(repository, function, shown, files) : [];
        return new BenchDeclaration(units, fixtures);
    }

    private static RequestUnits ReadUnits(string shown, JsonElement units)
    {
        decimal Count(string name) =>
            units.ValueKind == JsonValueKind.Object && units.TryGetProperty(name, out var value)
                && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= 0
                ? number
                : throw new BadFileError($"{shown}: \"requestUnits.{name}\" must be a number of zero or more, e.g. {{ \"read\": 1, \"write\": 0, \"why\": \"...\" }}.");
        return new RequestUnits(Count("read"), Count("write"));
    }

    private static List<TableFixture> ReadFixtures(Repository repository, DeclaredFunction function, string shown, JsonElement files)
    {
        if (files.ValueKind != JsonValueKind.Array || files.EnumerateArray().Any(f => f.ValueKind != JsonValueKind.String))
        {
            throw new BadFileError($"{shown}: \"fixtures\" must be a list of files relative to the repository root, e.g. [\"events/fixtures/items.json\"].");
        }
        var fixtures = new List<TableFixture>();
        foreach (var file in files.EnumerateArray().Select(f => f.GetString()!))
        {
            var path = Path.GetFullPath(Path.Combine(repository.Root, file));
            if (!File.Exists(path))
            {
                throw new BadFileError($"{shown}: the fixture file {file} does not exist.");
            }
            using var document = Parse(path);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BadFileError($"{file} must map each table to its items: {{ \"Items\": [ {{ \"id\": {{ \"S\": \"...\" }} }} ] }}.");
            }
            foreach (var table in document.RootElement.EnumerateObject())
            {
                if (function.Declaration.Tables.All(t => t.Table != table.Name))
                {
                    throw new BadFileError(
                        $"{file}: {function.Name} does not use a table \"{table.Name}\" (its [UsesTable]: {string.Join(", ", function.Declaration.Tables.Select(t => t.Table).DefaultIfEmpty("none"))}).");
                }
                if (table.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new BadFileError($"{file}: \"{table.Name}\" must be a list of items in DynamoDB JSON.");
                }
                var items = table.Value.EnumerateArray().Select((item, i) => DynamoDbJson.Item(item, $"{file}: {table.Name}[{i}]")).ToList();
                fixtures.Add(new TableFixture(table.Name, file, items));
            }
        }
        return fixtures;
    }

    private static JsonDocument Parse(string path) => JsonFile.Parse(path, File.ReadAllText(path));
}

/// <summary>A function of the repository with its bench declaration: discovered and read once per bench run.</summary>
internal sealed record FunctionBench(DeclaredFunction Function, BenchDeclaration Declaration)
{
    public string Name => Function.Name;

    public static FunctionBench Of(Repository repository, DeclaredFunction function) => new(function, BenchDeclaration.Load(repository, function));

    /// <exception cref="BadFileError">A bench.json or a fixture it names is unreadable.</exception>
    public static IReadOnlyList<FunctionBench> Discover(Repository repository) =>
        FunctionCatalog.Discover(repository).Select(f => Of(repository, f)).ToList();
}
