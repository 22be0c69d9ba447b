namespace Functions.DynamoDb;

/// <summary>
/// Up to 100 items by key from one or more tables in one call. As with AWS's SDKs, keys DynamoDB did not get to (its
/// throughput, 16 MB) come back in <see cref="BatchGetItemResponse.UnprocessedKeys"/>: send them again, with a backoff.
/// </summary>
public sealed class BatchGetItemRequest
{
    public required Dictionary<string, KeysAndAttributes> RequestItems { get; init; }
}

/// <summary>The keys to read from one table, and how.</summary>
public sealed class KeysAndAttributes
{
    public required List<Dictionary<string, AttributeValue>> Keys { get; init; }

    public string? ProjectionExpression { get; init; }

    public Dictionary<string, string>? ExpressionAttributeNames { get; init; }

    public bool? ConsistentRead { get; init; }
}

public sealed class BatchGetItemResponse
{
    /// <summary>The items found, by table, in no particular order; a key with no item is simply absent.</summary>
    public Dictionary<string, List<Dictionary<string, AttributeValue>>>? Responses { get; init; }

    public Dictionary<string, KeysAndAttributes>? UnprocessedKeys { get; init; }
}

/// <summary>
/// Up to 25 puts and deletes on one or more tables in one call, each on its own (no conditions, no transaction).
/// Writes DynamoDB did not get to come back in <see cref="BatchWriteItemResponse.UnprocessedItems"/>.
/// </summary>
public sealed class BatchWriteItemRequest
{
    public required Dictionary<string, List<WriteRequest>> RequestItems { get; init; }
}

/// <summary>One write of a batch: exactly one of <see cref="PutRequest"/> and <see cref="DeleteRequest"/>.</summary>
public sealed class WriteRequest
{
    public PutRequest? PutRequest { get; init; }

    public DeleteRequest? DeleteRequest { get; init; }
}

public sealed class PutRequest
{
    public required Dictionary<string, AttributeValue> Item { get; init; }
}

public sealed class DeleteRequest
{
    public required Dictionary<string, AttributeValue> Key { get; init; }
}

public sealed class BatchWriteItemResponse
{
    public Dictionary<string, List<WriteRequest>>? UnprocessedItems { get; init; }
}
