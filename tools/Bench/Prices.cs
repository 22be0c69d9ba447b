using System.Globalization;
using System.Text.Json;
using Functions.Declarations;

namespace Functions.Tools.Bench;

/// <summary>DynamoDB request units one invocation of a route consumes on its success path.</summary>
public sealed record RequestUnits(decimal Read, decimal Write)
{
    public static readonly RequestUnits None = new(0, 0);
}

/// <summary>One price tier of a month's requests: the first <see cref="FirstMillions"/> million at this price, or all the rest when null.</summary>
public sealed record PriceTier(decimal? FirstMillions, decimal PerMillionRequests);

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

    /// <summary>
    /// HTTP API's tiers of a month's requests ($1.00 per million for the first 300 million, $0.90 past them); empty
    /// prices every request at <see cref="HttpApiPerMillionRequests"/>.
    /// </summary>
    public IReadOnlyList<PriceTier> HttpApiTiers { get; init; } = [];

    /// <summary>What HTTP API charges for a month of <paramref name="requests"/> requests, tier by tier.</summary>
    public decimal HttpApiMonth(decimal requests)
    {
        if (HttpApiTiers.Count == 0)
        {
            return requests / 1_000_000m * HttpApiPerMillionRequests;
        }
        var cost = 0m;
        var left = requests;
        foreach (var tier in HttpApiTiers)
        {
            var inTier = tier.FirstMillions is { } millions ? Math.Min(left, millions * 1_000_000m) : left;
            cost += inTier / 1_000_000m * tier.PerMillionRequests;
            left -= inTier;
            if (left <= 0)
            {
                break;
            }
        }
        return cost;
    }

    /// <summary>A function the repository does not have (a deployed one read from logs) is costed without DynamoDB.</summary>
    public RequestUnits UnitsFor(string function) =>
        UnitsPerRequest.TryGetValue(function, out var units) ? units : RequestUnits.None;

    /// <summary>
    /// These prices with the request units of every function of the repository: the ones its bench.json declares
    /// (with why, beside its code), else derived from its declared table access: one read unit when it may read, one
    /// write unit when it may write: a new function is never priced at $0 of DynamoDB because nobody edited a file.
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
                new Dictionary<string, RequestUnits>(StringComparer.Ordinal))
            {
                HttpApiTiers = Tiers(httpApi, "httpApi"),
            };
        }

        /// <summary>
        /// Optional "tiers": each with "firstMillions" (its size in millions of requests a month, the tiers in order)
        /// and "perMillionRequests"; the last has no "firstMillions": it prices all the rest.
        /// </summary>
        private List<PriceTier> Tiers(JsonElement parent, string parentPath)
        {
            if (!parent.TryGetProperty("tiers", out var tiers) || tiers.ValueKind == JsonValueKind.Null)
            {
                return [];
            }
            var path = Join(parentPath, "tiers");
            if (tiers.ValueKind != JsonValueKind.Array || tiers.GetArrayLength() == 0)
            {
                throw Invalid(path, "must be a non-empty JSON array of tiers");
            }
            var list = new List<PriceTier>();
            var count = tiers.GetArrayLength();
            for (var i = 0; i < count; i++)
            {
                var tier = tiers[i];
                var tierPath = $"{path}[{i}]";
                if (tier.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(tierPath, "must be a JSON object");
                }
                var last = i == count - 1;
                decimal? millions = null;
                if (last)
                {
                    if (tier.TryGetProperty("firstMillions", out _))
                    {
                        throw Invalid(Join(tierPath, "firstMillions"), "must be absent on the last tier, which prices all the rest");
                    }
                }
                else
                {
                    millions = Money(tier, tierPath, "firstMillions");
                    if (millions <= 0)
                    {
                        throw Invalid(Join(tierPath, "firstMillions"), "must be a number of millions above zero");
                    }
                }
                list.Add(new PriceTier(millions, Money(tier, tierPath, "perMillionRequests")));
            }
            return list;
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
