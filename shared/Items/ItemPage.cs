using System.Text.Json.Serialization;

namespace Functions.Items;

/// <summary>One page of GET /items. nextCursor is written as null on the last page, so clients can test for it.</summary>
public sealed record ItemPage(
    IReadOnlyList<Item> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
