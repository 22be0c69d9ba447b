using System.Text.Json.Nodes;
using Functions.Tests.DynamoDb;
using Functions.Tools;
using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class PricesTests : IDisposable
{
    private const string ValidFile = """
        {
          "date": "2025-08-01",
          "region": "us-east-1",
          "lambda": {
            "source": "https://aws.amazon.com/lambda/pricing/",
            "perMillionRequests": 0.20,
            "perGbSecond": { "x86_64": 0.0000166667, "arm64": 0.0000133334 }
          },
          "httpApi": { "source": "https://aws.amazon.com/api-gateway/pricing/", "perMillionRequests": 1.00 },
          "dynamoDb": {
            "source": "https://aws.amazon.com/dynamodb/pricing/on-demand/",
            "perMillionWriteRequestUnits": 0.625,
            "perMillionReadRequestUnits": 0.125
          }
        }
        """;

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void The_repositorys_price_file_holds_the_published_us_east_1_prices()
    {
        var path = Prices.DefaultPath(TestRepositories.ThisCheckout());

        var prices = Prices.Load(path);

        Assert.Equal(
            (0.20m, 0.0000166667m, 0.0000133334m, 1.00m, 0.625m, 0.125m),
            (prices.LambdaPerMillionRequests, prices.PerGbSecondX86, prices.PerGbSecondArm64, prices.HttpApiPerMillionRequests,
                prices.PerMillionWriteRequestUnits, prices.PerMillionReadRequestUnits));
        Assert.Equal("us-east-1", prices.Region);
        Assert.All(prices.Sources, source => Assert.StartsWith("https://aws.amazon.com/", source, StringComparison.Ordinal));
        Assert.Equal([new PriceTier(300, 1.00m), new PriceTier(null, 0.90m)], prices.HttpApiTiers);
    }

    [Fact]
    public void A_month_of_HTTP_API_requests_is_priced_tier_by_tier()
    {
        // Arrange: 1,000 req/s for 30 days is 2,592 million requests.
        var prices = Prices.Load(Prices.DefaultPath(TestRepositories.ThisCheckout()));

        // Act
        var month = prices.HttpApiMonth(2_592_000_000m);

        // Assert: 300 million at $1.00 and 2,292 million at $0.90, $229.20 less than a flat $1.00 would say.
        Assert.Equal(2362.80m, month);
        Assert.Equal(229.20m, 2592m - month);
        Assert.Equal(259.20m, prices.HttpApiMonth(259_200_000m));
    }

    [Theory]
    [InlineData("""[{ "firstMillions": 300, "perMillionRequests": 1.00 }, { "firstMillions": 500, "perMillionRequests": 0.90 }]""", "\"httpApi.tiers[1].firstMillions\" must be absent on the last tier")]
    [InlineData("""[{ "perMillionRequests": 1.00 }, { "perMillionRequests": 0.90 }]""", "\"httpApi.tiers[0].firstMillions\" is missing")]
    [InlineData("""[{ "firstMillions": 0, "perMillionRequests": 1.00 }, { "perMillionRequests": 0.90 }]""", "\"httpApi.tiers[0].firstMillions\" must be a number of millions above zero")]
    [InlineData("""[{ "firstMillions": 300, "perMillionRequests": "1.00" }, { "perMillionRequests": 0.90 }]""", "\"httpApi.tiers[0].perMillionRequests\" must be a number")]
    [InlineData("""[]""", "\"httpApi.tiers\" must be a non-empty JSON array of tiers")]
    [InlineData("""[5]""", "\"httpApi.tiers[0]\" must be a JSON object")]
    public void Invalid_tiers_are_named_with_the_file(string tiers, string expected)
    {
        // Arrange
        var path = Write(ValidFile.Replace("\"perMillionRequests\": 1.00 }", $"\"perMillionRequests\": 1.00, \"tiers\": {tiers} }}", StringComparison.Ordinal));

        // Act
        var error = Assert.Throws<BadFileError>(() => Prices.Load(path));

        // Assert
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repositorys_functions_are_priced_from_their_bench_json_or_their_table_access()
    {
        var repository = TestRepositories.ThisCheckout();

        var prices = TestPrices.UsEast1.WithDeclaredUnits(FunctionBench.Discover(repository));

        Assert.Equal(new RequestUnits(1, 0), prices.UnitsFor("Items.Get")); // lambdas/Items.Get/bench.json
        Assert.Equal(new RequestUnits(0, 1), prices.UnitsFor("Items.Delete")); // lambdas/Items.Delete/bench.json
        Assert.Equal(RequestUnits.None, prices.UnitsFor("Hello")); // no bench.json, no table
        Assert.All(FunctionCatalog.Discover(repository), f => Assert.True(prices.UnitsPerRequest.ContainsKey(f.Name), f.Name));
    }

    [Fact]
    public void Each_architecture_has_its_own_duration_price()
    {
        var prices = Prices.Load(Write(ValidFile));

        Assert.Equal((0.0000166667m, 0.0000133334m), (prices.PerGbSecond("x86_64"), prices.PerGbSecond("arm64")));
        Assert.Throws<ArgumentException>(() => prices.PerGbSecond("riscv64"));
    }

    [Fact]
    public void A_function_without_bench_json_gets_units_from_its_declared_table_access()
    {
        var declared = FunctionCatalog.Discover(TestRepositories.ThisCheckout());
        var history = new DeclaredFunction("Items.History", "lambdas/Items.History", new global::Functions.Declarations.FunctionDeclaration(
            "ItemsHistory.Get", "GET", "/items/{id}/history",
            [new global::Functions.Declarations.TableUse("Items", ["dynamodb:Query", "dynamodb:PutItem"], "TABLE_NAME")],
            null, null, []));

        var prices = TestPrices.UsEast1.WithDeclaredUnits(declared.Append(history).Select(f => FunctionBench.Of(TestRepositories.ThisCheckout(), f)));

        Assert.Equal(new RequestUnits(1, 1), prices.UnitsFor("Items.History")); // no bench.json: Query reads, PutItem writes
    }

    [Fact]
    public void A_function_the_repository_does_not_have_uses_no_request_units()
    {
        var prices = Prices.Load(Write(ValidFile));

        Assert.Equal(RequestUnits.None, prices.UnitsFor("deployed"));
    }

    [Theory]
    [InlineData("date", null, "\"date\" is missing")]
    [InlineData("date", "\"01/08/2025\"", "\"date\" must be a date as yyyy-MM-dd")]
    [InlineData("region", "\"\"", "\"region\" must be a non-empty string")]
    [InlineData("lambda", "5", "\"lambda\" must be a JSON object")]
    [InlineData("lambda.source", "\"pricing page\"", "\"lambda.source\" must be the http(s) address")]
    [InlineData("lambda.source", null, "\"lambda.source\" is missing")]
    [InlineData("lambda.perMillionRequests", "-0.2", "\"lambda.perMillionRequests\" must be a number of zero or more")]
    [InlineData("lambda.perGbSecond.arm64", null, "\"lambda.perGbSecond.arm64\" is missing")]
    [InlineData("lambda.perGbSecond.x86_64", "\"0.0000166667\"", "\"lambda.perGbSecond.x86_64\" must be a number")]
    [InlineData("httpApi.perMillionRequests", "null", "\"httpApi.perMillionRequests\" is missing")]
    [InlineData("dynamoDb.perMillionReadRequestUnits", null, "\"dynamoDb.perMillionReadRequestUnits\" is missing")]
    [InlineData("dynamoDb.perMillionWriteRequestUnits", "true", "\"dynamoDb.perMillionWriteRequestUnits\" must be a number")]
    public void A_missing_or_invalid_field_is_named_with_the_file(string field, string? replacement, string expected)
    {
        var path = Write(Change(ValidFile, field, replacement));

        var error = Assert.Throws<BadFileError>(() => Prices.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"date\": ")]
    [InlineData("prices")]
    public void A_file_that_is_not_JSON_says_so(string text)
    {
        var path = Write(text);

        var error = Assert.Throws<BadFileError>(() => Prices.Load(path));

        Assert.StartsWith($"{path} is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_holding_an_array_is_refused()
    {
        var path = Write("[]");

        var error = Assert.Throws<BadFileError>(() => Prices.Load(path));

        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_not_mistaken_for_a_bad_one()
    {
        var error = Assert.Throws<BadFileError>(() => Prices.Load(Path.Combine(_scratch.Path, "absent.json")));

        Assert.StartsWith("There is no price file", error.Message, StringComparison.Ordinal);
    }


    private string Write(string text)
    {
        var path = Path.Combine(_scratch.Path, $"prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The valid file with one field removed (replacement null) or replaced by a raw JSON value.</summary>
    private static string Change(string json, string field, string? replacement)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var path = field.Split('.');
        var parent = root;
        foreach (var name in path[..^1])
        {
            parent = parent[name]!.AsObject();
        }
        if (replacement is null)
        {
            parent.Remove(path[^1]);
        }
        else
        {
            parent[path[^1]] = JsonNode.Parse(replacement);
        }
        return root.ToJsonString();
    }
}
