using System.Globalization;
using System.Text.Json;
using Functions.Declarations;

namespace Functions.Tools.Bench;

/// <summary>DynamoDB request units one invocation of a route consumes on its success path.</summary>
public sealed record RequestUnits(decimal Read, decimal Write)
{
    public static readonly RequestUnits None = new(0, 0);
}

/// <summary>
/// The published prices the cost model uses, read from tools/Bench/prices.json so a price change is a data change
/// with its date and source pages beside it, not a code change.
/// </summary>
public sealed record Prices(
    string Date,
    string Region,
    IReadOnlyList<string> Sources,
    decimal LambdaPerMillionRequests,
    decimal PerGbSecondX86,
    decimal PerGbSecondArm64,
    decimal HttpApiPerMillionRequests,
    decimal PerMillionWriteRequestUnits,
    decimal PerMillionReadRequestUnits,
    IReadOnlyDictionary<string, RequestUnits> UnitsPerRequest)
{
    /// <summary>Where the runner finds the file by default; it is not copied next to the tool (the project file stays as it is).</summary>
    public static string DefaultPath(Repository repository) => Path.Combine(repository.Root, "tools", "Bench", "prices.json");

    /// <summary>The duration price for "x86_64" or "arm64" (the names Lambda and ./fn --arch use).</summary>
    public decimal PerGbSecond(string architecture) => Functions.Build.Architecture.Parse(architecture) switch
    {
        { } parsed when parsed == Functions.Build.Architecture.X86_64 => PerGbSecondX86,
        { } parsed when parsed == Functions.Build.Architecture.Arm64 => PerGbSecondArm64,
        _ => throw new ArgumentException($"No Lambda price for architecture '{architecture}'; use x86_64 or arm64.", nameof(architecture)),
    };

    /// <summary>A function the repository does not have (a deployed one read from logs) is costed without DynamoDB.</summary>
    public RequestUnits UnitsFor(string function) =>
        UnitsPerRequest.TryGetValue(function, out var units) ? units : RequestUnits.None;

    /// <summary>
    /// These prices with the request units of every function of the repository: the ones its bench.json declares
    /// (with why, beside its code), else derived from its declared table access: one read unit when it may read, one
    /// write unit when it may write (issue 11: a new function is never priced at $0 of DynamoDB because nobody edited a file).
    /// </summary>
    internal Prices WithDeclaredUnits(IEnumerable<FunctionBench> functions)
    {
        var units = new Dictionary<string, RequestUnits>(UnitsPerRequest, StringComparer.Ordinal);
        foreach (var function in functions)
        {
            var actions = function.Function.Declaration.Tables.SelectMany(t => t.Actions).ToList();
            units[function.Name] = function.Declaration.Units
                ?? new RequestUnits(actions.Any(TableActions.Reads) ? 1 : 0, actions.Any(TableActions.Writes) ? 1 : 0);
        }
        return this with { UnitsPerRequest = units };
    }

    /// <exception cref="BadFileError">The file is not JSON, or a field is missing or invalid; the message names both.</exception>
    public static Prices Load(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : throw new BadFileError($"There is no price file {path}: give --prices FILE, or restore tools/Bench/prices.json.");
        using var document = JsonFile.Parse(path, text);
        return new PriceFile(path).Read(document.RootElement);
    }

    /// <summary>Reads the file's fields, each error naming the file and the field's dotted path.</summary>
    private sealed class PriceFile(string path)
    {
        public Prices Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("(root)", "must be a JSON object");
            }
            var lambda = Object(root, "", "lambda");
            var httpApi = Object(root, "", "httpApi");
            var dynamoDb = Object(root, "", "dynamoDb");
            var perGbSecond = Object(lambda, "lambda", "perGbSecond");
            return new Prices(
                Date(root),
                Text(root, "", "region"),
                [Url(lambda, "lambda"), Url(httpApi, "httpApi"), Url(dynamoDb, "dynamoDb")],
                Money(lambda, "lambda", "perMillionRequests"),
                Money(perGbSecond, "lambda.perGbSecond", "x86_64"),
                Money(perGbSecond, "lambda.perGbSecond", "arm64"),
                Money(httpApi, "httpApi", "perMillionRequests"),
                Money(dynamoDb, "dynamoDb", "perMillionWriteRequestUnits"),
                Money(dynamoDb, "dynamoDb", "perMillionReadRequestUnits"),
                new Dictionary<string, RequestUnits>(StringComparer.Ordinal));
        }

        private string Date(JsonElement root)
        {
            var text = Text(root, "", "date");
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? text
                : throw Invalid("date", $"must be a date as yyyy-MM-dd, not \"{text}\"");
        }

        private string Url(JsonElement parent, string parentPath)
        {
            var text = Text(parent, parentPath, "source");
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? text
                : throw Invalid(Join(parentPath, "source"), $"must be the http(s) address of the pricing page, not \"{text}\"");
        }

        private JsonElement Object(JsonElement parent, string parentPath, string name)
        {
            var value = Field(parent, parentPath, name);
            return value.ValueKind == JsonValueKind.Object ? value : throw Invalid(Join(parentPath, name), "must be a JSON object");
        }

        private string Text(JsonElement parent, string parentPath, string name)
        {
            var value = Field(parent, parentPath, name);
            return value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                ? value.GetString()!
                : throw Invalid(Join(parentPath, name), "must be a non-empty string");
        }

        /// <summary>A price or a unit count: a JSON number (not a string, so a typo cannot pass as zero), zero or more.</summary>
        private decimal Money(JsonElement parent, string parentPath, string name)
        {
            var value = Field(parent, parentPath, name);
            return value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= 0
                ? number
                : throw Invalid(Join(parentPath, name), $"must be a number of zero or more, not {value.GetRawText()}");
        }

        private JsonElement Field(JsonElement parent, string parentPath, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value
                : throw new BadFileError($"{path}: \"{Join(parentPath, name)}\" is missing.");

        private BadFileError Invalid(string field, string why) => new($"{path}: \"{field}\" {why}.");

        private static string Join(string parentPath, string name) => parentPath.Length == 0 ? name : parentPath + "." + name;
    }
}
