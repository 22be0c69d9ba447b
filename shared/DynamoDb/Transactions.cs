namespace Functions.DynamoDb;

/// <summary>
/// Up to 100 writes and condition checks, on items of one or more tables, that all happen or none does. If one
/// condition fails, or another transaction holds an item, the call is a <see cref="TransactionCanceledException"/>
/// whose reasons say which, in the order of <see cref="TransactItems"/>.
/// </summary>
public sealed class TransactWriteItemsRequest
{
    public required List<TransactWriteItem> TransactItems { get; init; }

    /// <summary>Makes the call idempotent for 10 minutes: a retry with the same token is not applied twice.</summary>
    public string? ClientRequestToken { get; init; }
}

/// <summary>
/// One action of a transaction: exactly one of its members. A put, delete or update is written as the single-item call
/// would be (no ReturnValues: DynamoDB refuses it inside a transaction).
/// </summary>
public sealed class TransactWriteItem
{
    public ConditionCheck? ConditionCheck { get; init; }

    public PutItemRequest? Put { get; init; }

    public DeleteItemRequest? Delete { get; init; }

    public UpdateItemRequest? Update { get; init; }
}

/// <summary>A condition on an item the transaction does not write: if it does not hold, nothing is written.</summary>
public sealed class ConditionCheck
{
    public required string TableName { get; init; }

    public required Dictionary<string, AttributeValue> Key { get; init; }

    public required string ConditionExpression { get; init; }

    public Dictionary<string, string>? ExpressionAttributeNames { get; init; }

    public Dictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }
}

/// <summary>Why one action of a cancelled transaction was refused: "None" for the actions that were fine.</summary>
public sealed class CancellationReason
{
    public string? Code { get; init; }

    public string? Message { get; init; }
}
