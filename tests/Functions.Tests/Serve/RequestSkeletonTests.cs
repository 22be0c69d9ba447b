using Functions.Tests.DynamoDb;
using Functions.Tools.Serve;

namespace Functions.Tests.Serve;

/// <summary>What the console's generated event starts from: a handler's inputs with example values, read from its source.</summary>
public sealed class RequestSkeletonTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Items_Create_gets_a_skeleton_of_ItemInput_found_under_shared()
    {
        var skeleton = RequestSkeleton.Read(TestRepositories.ThisCheckout(), "Items.Create", "ItemsCreate.Create");

        Assert.Equal("""{"name":"","description":null,"price":0,"tags":[""]}""", skeleton.Body!.ToJsonString());
        Assert.Empty(skeleton.Query);
        Assert.Empty(skeleton.Headers);
    }

    [Fact]
    public void Query_and_header_parameters_get_values_their_parsers_take_under_the_names_they_bind()
    {
        var list = RequestSkeleton.Read(TestRepositories.ThisCheckout(), "Items.List", "ItemsList.List");
        var delete = RequestSkeleton.Read(TestRepositories.ThisCheckout(), "Items.Delete", "ItemsDelete.Delete");

        Assert.Equal(["limit", "cursor"], list.Query.Select(q => q.Key));
        Assert.Null(list.Body);
        Assert.Equal([new("if-match", "example")], delete.Headers);
        Assert.Equal("example", delete.PathValues["id"]);
    }

    [Fact]
    public void A_body_type_is_read_with_its_json_names_nested_types_enums_and_typed_parameters()
    {
        var repository = Scratch(
            ("lambdas/Orders.Place/Place.cs", """
                public static class OrdersPlace
                {
                    [HttpApi("POST", "/orders/{store}")]
                    public static HttpApiResponse Place(int store, Order order, [FromQuery("dry-run")] bool? dryRun, [FromHeader] Guid traceId) => null!;
                }
                """),
            ("shared/Orders/Order.cs", """
                public sealed class Order : Functions.IFromBody<Order>
                {
                    [JsonPropertyName("ref")] public string Reference { get; init; } = "";
                    public Address Ship { get; set; } = new();
                    public Speed Speed { get; set; }
                    public DateTimeOffset When { get; set; }
                    public IReadOnlyDictionary<string, int> Counts { get; set; } = new Dictionary<string, int>();
                    public int[] Lines { get; set; } = [];
                    public string Computed => Reference;
                    public static Order FromBody(ReadOnlyMemory<byte> json) => new();
                }
                public sealed record Address(string Street, Address? Next);
                public enum Speed { Standard, Express }
                """));

        var skeleton = RequestSkeleton.Read(repository, "Orders.Place", "OrdersPlace.Place");

        Assert.Equal(
            """{"ref":"","ship":{"street":"","next":null},"speed":"Standard","when":"2000-01-01T00:00:00Z","counts":{},"lines":[0]}""",
            skeleton.Body!.ToJsonString());
        Assert.Equal("0", skeleton.PathValues["store"]);
        Assert.Equal([new("dry-run", "false")], skeleton.Query);
        Assert.Equal([new("traceid", Guid.Empty.ToString())], skeleton.Headers);
    }

    [Fact]
    public void A_type_not_declared_as_its_own_body_reader_is_no_body()
    {
        var repository = Scratch(
            ("lambdas/Plain.Post/Post.cs", """
                public static class PlainPost
                {
                    [HttpApi("POST", "/plain")]
                    public static HttpApiResponse Post(HttpApiRequest request, Settings settings) => null!;
                }
                public sealed record Settings(string Name);
                """));

        Assert.Null(RequestSkeleton.Read(repository, "Plain.Post", "PlainPost.Post").Body);
        Assert.Same(RequestSkeleton.None, RequestSkeleton.Read(repository, "Plain.Post", "PlainPost.Missing"));
    }

    private Repository Scratch(params (string Path, string Text)[] files) => TestRepositories.Written(_scratch.Path, files);
}
