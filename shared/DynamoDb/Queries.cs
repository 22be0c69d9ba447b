namespace Functions.DynamoDb;

/// <summary>
/// The items of one partition key (a table's, or an index's with <see cref="IndexName"/>), in sort-key order, a page at
/// a time: pass the response's LastEvaluatedKey as <see cref="ExclusiveStartKey"/> for the next page.
/// </summary>
public sealed class QueryRequest
{
    public required string TableName { get; init; }

    public string? IndexName { get; init; }

    /// <summary>"pk = :pk AND begins_with(sk, :prefix)": the partition key's equality, and at most one sort-key condition.</summary>
    public required string KeyConditionExpression { get; init; }

    /// <summary>Applied after the key condition: filtered items still count against <see cref="Limit"/> and the read.</summary>
    public string? FilterExpression { get; init; }

    public string? ProjectionExpression { get; init; }

    public Dictionary<string, string>? ExpressionAttributeNames { get; init; }

    public Dictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }

    public int? Limit { get; init; }

    public Dictionary<string, AttributeValue>? ExclusiveStartKey { get; init; }

    /// <summary>False: descending sort-key order.</summary>
    public bool? ScanIndexForward { get; init; }

    public bool? ConsistentRead { get; init; }
}

public sealed class QueryResponse
{
    public List<Dictionary<string, AttributeValue>>? Items { get; init; }

    public int Count { get; init; }

    /// <summary>Null on the last page.</summary>
    public Dictionary<string, AttributeValue>? LastEvaluatedKey { get; init; }
}
