using System.Text.Json.Serialization;

namespace Functions.DynamoDb;

/// <summary>
/// One DynamoDB value as the JSON protocol writes it: exactly one of its members is set ({"S":"text"}, {"N":"1.5"},
/// {"L":[...]}...). Numbers travel as text, so they keep every digit they were given.
/// </summary>
public sealed class AttributeValue
{
    [JsonPropertyName("S")]
    public string? S { get; init; }

    [JsonPropertyName("N")]
    public string? N { get; init; }

    /// <summary>Binary, base64 on the wire.</summary>
    [JsonPropertyName("B")]
    public byte[]? B { get; init; }

    [JsonPropertyName("BOOL")]
    public bool? Bool { get; init; }

    [JsonPropertyName("NULL")]
    public bool? Null { get; init; }

    [JsonPropertyName("L")]
    public List<AttributeValue>? L { get; init; }

    [JsonPropertyName("M")]
    public Dictionary<string, AttributeValue>? M { get; init; }

    [JsonPropertyName("SS")]
    public List<string>? SS { get; init; }

    [JsonPropertyName("NS")]
    public List<string>? NS { get; init; }
}
