using Amazon.DynamoDBv2;
using Functions.DynamoDb;
using Functions.Tests.Data;
using Functions.Tools.DynamoDb;

namespace Functions.Tests.Dynamo;

/// <summary>
/// What an app needs beyond single items, on a real table (dynalite): queries by partition key with sort-key
/// conditions, filters, order and pages; batches of reads and writes. (Transactions are on the wire in
/// DynamoDbClientTests: dynalite does not implement them.)
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbOperationsTests(DynaliteFixture dynalite)
{
    private static readonly TableKey Customer = new("customer", ScalarAttributeType.S);
    private static readonly TableKey Order = new("order", ScalarAttributeType.S);

    private DynamoDbClient Client => dynalite.Ours;

    [Fact]
    public async Task A_batch_write_puts_and_deletes_and_a_batch_get_finds_what_is_there()
    {
        // Arrange
        var table = await dynalite.NewTableAsync(Customer, Order);
        await PutOrdersAsync(table, "ann", "2026-01", "2026-02", "2026-03");

        // Act
        var write = await Client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [table] = [new WriteRequest { DeleteRequest = new DeleteRequest { Key = Key("ann", "2026-02") } }] },
        });
        var read = await Client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [table] = new KeysAndAttributes { Keys = [Key("ann", "2026-01"), Key("ann", "2026-02"), Key("bob", "2026-01")], ConsistentRead = true } },
        });

        // Assert
        Assert.True(write.UnprocessedItems is null or { Count: 0 });
        Assert.Equal(["2026-01"], read.Responses![table].Select(i => i["order"].S));
        Assert.True(read.UnprocessedKeys is null or { Count: 0 });
    }

    [Fact]
    public async Task A_query_reads_one_partition_in_sort_key_order_with_its_condition_and_filter()
    {
        // Arrange
        var table = await dynalite.NewTableAsync(Customer, Order);
        await PutOrdersAsync(table, "ann", "2025-12", "2026-01", "2026-02", "2026-03");
        await PutOrdersAsync(table, "bob", "2026-01");
        await Client.PutItemAsync(new PutItemRequest { TableName = table, Item = new(Key("ann", "2026-04")) { ["total"] = new AttributeValue { N = "120" } } });

        // Act
        var since2026 = await Client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "customer = :c AND begins_with(#o, :year)",
            ExpressionAttributeNames = new() { ["#o"] = "order" },
            ExpressionAttributeValues = new() { [":c"] = S("ann"), [":year"] = S("2026") },
            ScanIndexForward = false,
        });
        var filtered = await Client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "customer = :c",
            FilterExpression = "#t >= :min",
            ExpressionAttributeNames = new() { ["#t"] = "total" },
            ExpressionAttributeValues = new() { [":c"] = S("ann"), [":min"] = new AttributeValue { N = "100" } },
        });

        // Assert
        Assert.Equal(["2026-04", "2026-03", "2026-02", "2026-01"], since2026.Items!.Select(i => i["order"].S));
        Assert.Equal(4, since2026.Count);
        Assert.Equal(["2026-04"], filtered.Items!.Select(i => i["order"].S));
    }

    [Fact]
    public async Task A_query_pages_with_the_last_evaluated_key()
    {
        // Arrange
        var table = await dynalite.NewTableAsync(Customer, Order);
        await PutOrdersAsync(table, "ann", "1", "2", "3", "4", "5");

        // Act
        var pages = new List<List<string?>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await Client.QueryAsync(new QueryRequest
            {
                TableName = table,
                KeyConditionExpression = "customer = :c",
                ExpressionAttributeValues = new() { [":c"] = S("ann") },
                Limit = 2,
                ExclusiveStartKey = start,
            });
            pages.Add(page.Items!.Select(i => i["order"].S).ToList());
            start = page.LastEvaluatedKey;
        }
        while (start is not null);

        // Assert
        Assert.Equal(["1", "2", "3", "4", "5"], pages.SelectMany(p => p));
        Assert.True(pages.Count >= 3);
        Assert.All(pages, p => Assert.True(p.Count <= 2));
    }

    private async Task PutOrdersAsync(string table, string customer, params string[] orders)
    {
        var response = await Client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [table] = [.. orders.Select(o => new WriteRequest { PutRequest = new PutRequest { Item = new(Key(customer, o)) { ["total"] = new AttributeValue { N = "9.50" } } } })],
            },
        });
        Assert.True(response.UnprocessedItems is null or { Count: 0 });
    }

    private static Dictionary<string, AttributeValue> Key(string customer, string order) => new() { ["customer"] = S(customer), ["order"] = S(order) };

    private static AttributeValue S(string text) => new() { S = text };
}
