using Amazon.DynamoDBv2;
using Functions.Data;
using Functions.Tools.DynamoDb;

namespace Functions.Tests.Data;

/// <summary>One in-memory dynalite for every test in the collection, with the items table of the stack (hash key id, S).</summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    public const string ItemsTable = "items";

    public static readonly TableKey ItemsKey = new("id", ScalarAttributeType.S);

    private Dynalite? _dynalite;
    private TableProvisioner? _provisioner;
    private AmazonDynamoDBClient? _client;
    private global::Functions.DynamoDb.DynamoDbClient? _ours;

    public string Endpoint => Started(_dynalite).Endpoint;

    /// <summary>AWS's SDK client, to look at the table from outside our code.</summary>
    public AmazonDynamoDBClient Client => Started(_client);

    public async Task InitializeAsync()
    {
        _dynalite = await Dynalite.StartAsync();
        _provisioner = new TableProvisioner(_dynalite.Endpoint);
        _client = TableProvisioner.CreateClient(_dynalite.Endpoint);
        _ours = new global::Functions.DynamoDb.DynamoDbClient(new Uri(_dynalite.Endpoint), TableProvisioner.LocalRegion, new("local", "local"));
        await _provisioner.EnsureTableAsync(ItemsTable, ItemsKey);
    }

    /// <summary>A store on the shared items table: fine for tests that only touch the items they create.</summary>
    public ItemsStore Store(TimeProvider? clock = null) => new(Started(_ours), ItemsTable, clock);

    /// <summary>A store on a table of its own, for tests that need to see every item of a table.</summary>
    public async Task<ItemsStore> StoreOnNewTableAsync()
    {
        var table = $"items-{Guid.NewGuid():N}";
        await Started(_provisioner).EnsureTableAsync(table, ItemsKey);
        return new ItemsStore(Started(_ours), table);
    }

    /// <summary>Our client on the dynalite.</summary>
    public global::Functions.DynamoDb.DynamoDbClient Ours => Started(_ours);

    /// <summary>A table of its own, with a partition key and, when given, a sort key: its name.</summary>
    public async Task<string> NewTableAsync(TableKey partitionKey, TableKey? sortKey = null)
    {
        var table = $"table-{Guid.NewGuid():N}";
        await Started(_provisioner).EnsureTableAsync(table, partitionKey, sortKey);
        return table;
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        _ours?.Dispose();
        _provisioner?.Dispose();
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }
    }

    private static T Started<T>(T? value) where T : class =>
        value ?? throw new InvalidOperationException("The dynalite fixture has not been initialized.");
}

[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}
