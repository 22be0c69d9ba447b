using Functions.Declarations;
using Functions.Tests.DynamoDb;
using Functions.Tools;
using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

/// <summary>lambdas/NAME/bench.json: how a function is benchmarked, written beside it; every mistake named with its file.</summary>
public sealed class BenchDeclarationTests : IDisposable
{
    private const string Fixture = """
        { "Items": [ { "id": { "S": "abc" }, "price": { "N": "12.50" }, "tags": { "L": [{ "S": "a" }] }, "gone": { "NULL": true } } ] }
        """;

    private readonly ScratchFolder _scratch = new();
    private readonly DeclaredFunction _function = new("Items.Probe", "lambdas/Items.Probe", new FunctionDeclaration(
        "ItemsProbe.Get", "GET", "/probe", [new TableUse("Items", ["dynamodb:GetItem"], "TABLE_NAME")], null, null, []));

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Every_bench_json_of_the_repository_loads()
    {
        var repository = TestRepositories.ThisCheckout();

        var declarations = FunctionCatalog.Discover(repository).Select(f => (f.Name, Bench: BenchDeclaration.Load(repository, f))).ToList();

        Assert.Contains(declarations, d => d.Bench.Fixtures.Count > 0);
        Assert.All(declarations.SelectMany(d => d.Bench.Fixtures), f => Assert.NotEmpty(f.Items));
    }

    [Fact]
    public void A_function_without_bench_json_has_no_units_and_no_fixtures()
    {
        var bench = BenchDeclaration.Load(Scratch(), _function);

        Assert.Same(BenchDeclaration.None, bench);
    }

    [Fact]
    public void Units_and_fixture_items_are_read_exactly_as_written()
    {
        var repository = Scratch(("lambdas/Items.Probe/bench.json", """{ "requestUnits": { "read": 0.5, "write": 0, "why": "eventually consistent" }, "fixtures": ["events/probe.json"] }"""),
            ("events/probe.json", Fixture));

        var bench = BenchDeclaration.Load(repository, _function);

        Assert.Equal(new RequestUnits(0.5m, 0), bench.Units);
        var item = Assert.Single(Assert.Single(bench.Fixtures).Items);
        Assert.Equal("abc", item["id"].S);
        Assert.Equal("12.50", item["price"].N); // text, not a rounded double
        Assert.Equal("a", Assert.Single(item["tags"].L).S);
        Assert.True(item["gone"].NULL);
    }

    [Theory]
    [InlineData("""[]""", "must be a JSON object")]
    [InlineData("""{ "requestUnit": {} }""", "unknown field \"requestUnit\"")]
    [InlineData("""{ "requestUnits": { "read": "1", "write": 0 } }""", "\"requestUnits.read\" must be a number")]
    [InlineData("""{ "requestUnits": { "read": 1 } }""", "\"requestUnits.write\" must be a number")]
    [InlineData("""{ "fixtures": "events/probe.json" }""", "\"fixtures\" must be a list of files")]
    [InlineData("""{ "fixtures": ["events/absent.json"] }""", "the fixture file events/absent.json does not exist")]
    [InlineData("""{ "requestUnits": """, "is not valid JSON")]
    public void A_bad_bench_json_is_named_with_what_is_wrong(string text, string expected)
    {
        var repository = Scratch(("lambdas/Items.Probe/bench.json", text));

        var error = Assert.Throws<BadFileError>(() => BenchDeclaration.Load(repository, _function));

        Assert.Contains("bench.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Orders": [] }""", "Items.Probe does not use a table \"Orders\" (its [UsesTable]: Items)")]
    [InlineData("""{ "Items": {} }""", "\"Items\" must be a list of items")]
    [InlineData("""{ "Items": [ { "id": "abc" } ] }""", "Items[0].id: each attribute is an object with one type key")]
    [InlineData("""{ "Items": [ { "id": { "S": 1 } } ] }""", "Items[0].id: S, N and B values are JSON strings")]
    [InlineData("""{ "Items": [ { "price": { "N": "twelve" } } ] }""", "Items[0].price: \"twelve\" is not a number")]
    [InlineData("""{ "Items": [ { "blob": { "B": "not base64!" } } ] }""", "Items[0].blob: B values are base64")]
    [InlineData("""{ "Items": [ { "id": { "X": "abc" } } ] }""", "\"X\" with String is not a DynamoDB type")]
    [InlineData("""{ "Items": [ {} ] }""", "Items[0]: an item must be a non-empty object")]
    public void A_bad_fixture_is_named_with_its_file_and_attribute(string fixture, string expected)
    {
        var repository = Scratch(("lambdas/Items.Probe/bench.json", """{ "fixtures": ["events/probe.json"] }"""), ("events/probe.json", fixture));

        var error = Assert.Throws<BadFileError>(() => BenchDeclaration.Load(repository, _function));

        Assert.StartsWith("events/probe.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bench_json_is_not_a_build_input()
    {
        Assert.True(FunctionInputs.IsIgnored("bench.json"));
        Assert.False(FunctionInputs.IsIgnored("Bench.cs"));
    }

    private Repository Scratch(params (string Path, string Text)[] files) => TestRepositories.Written(_scratch.Path, files);
}
