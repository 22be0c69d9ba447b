using System.Text.Json.Serialization;

namespace Functions.DynamoDb;

// The requests and responses of the calls we make, as DynamoDB's JSON protocol (API version 2012-08-10) names their
// members. Members left null are not sent.

public sealed class PutItemRequest
{
    public required string TableName { get; init; }
    public required Dictionary<string, AttributeValue> Item { get; init; }
    public string? ConditionExpression { get; init; }
    public Dictionary<string, string>? ExpressionAttributeNames { get; init; }
    public Dictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }
}

public sealed class GetItemRequest
{
    public required string TableName { get; init; }
    public required Dictionary<string, AttributeValue> Key { get; init; }
    public bool? ConsistentRead { get; init; }
}

public sealed class GetItemResponse
{
    /// <summary>Null when there is no item with the key.</summary>
    public Dictionary<string, AttributeValue>? Item { get; init; }
}

public sealed class ScanRequest
{
    public required string TableName { get; init; }
    public int? Limit { get; init; }
    public Dictionary<string, AttributeValue>? ExclusiveStartKey { get; init; }
    public bool? ConsistentRead { get; init; }
}

public sealed class ScanResponse
{
    public List<Dictionary<string, AttributeValue>>? Items { get; init; }

    /// <summary>Where the next page starts; null on the last page.</summary>
    public Dictionary<string, AttributeValue>? LastEvaluatedKey { get; init; }
}

public sealed class UpdateItemRequest
{
    public required string TableName { get; init; }
    public required Dictionary<string, AttributeValue> Key { get; init; }
    public required string UpdateExpression { get; init; }
    public string? ConditionExpression { get; init; }
    public Dictionary<string, string>? ExpressionAttributeNames { get; init; }
    public Dictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }

    /// <summary>"ALL_NEW" returns the item as the update left it.</summary>
    public string? ReturnValues { get; init; }
}

public sealed class UpdateItemResponse
{
    public Dictionary<string, AttributeValue>? Attributes { get; init; }
}

public sealed class DeleteItemRequest
{
    public required string TableName { get; init; }
    public required Dictionary<string, AttributeValue> Key { get; init; }
    public string? ConditionExpression { get; init; }
    public Dictionary<string, string>? ExpressionAttributeNames { get; init; }
    public Dictionary<string, AttributeValue>? ExpressionAttributeValues { get; init; }
}

/// <summary>What PutItem and DeleteItem answer when asked for nothing back.</summary>
public sealed class EmptyResponse;

/// <summary>An error body: {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"..."}.</summary>
public sealed class ErrorResponse
{
    /// <summary>A cancelled transaction's reasons, one per action.</summary>
    public List<CancellationReason>? CancellationReasons { get; init; }

    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Some services capitalise it.</summary>
    [JsonPropertyName("Message")]
    public string? CapitalisedMessage { get; init; }
}
