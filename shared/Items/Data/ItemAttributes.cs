using System.Globalization;
using Functions.DynamoDb;
using Functions.Items;

namespace Functions.Data;

/// <summary>Item <-> DynamoDB attribute map, by hand: the DataModel's reflection has no place in an AOT function.</summary>
internal static class ItemAttributes
{
    public const string Id = "id";
    public const string Name = "name";
    public const string Description = "description";
    public const string Price = "price";
    public const string Tags = "tags";
    public const string CreatedAt = "createdAt";
    public const string UpdatedAt = "updatedAt";
    public const string Version = "version";
    public const string CreatedBy = "createdBy";
    public const string UpdatedBy = "updatedBy";

    public static Dictionary<string, AttributeValue> ToAttributes(Item item)
    {
        var attributes = new Dictionary<string, AttributeValue>
        {
            [Id] = S(item.Id),
            [Name] = S(item.Name),
            [Price] = N(item.Price),
            [Tags] = L(item.Tags),
            [CreatedAt] = S(item.CreatedAt),
            [UpdatedAt] = S(item.UpdatedAt),
            [Version] = N(item.Version),
        };
        AddUnlessNull(attributes, Description, item.Description);
        AddUnlessNull(attributes, CreatedBy, item.CreatedBy);
        AddUnlessNull(attributes, UpdatedBy, item.UpdatedBy);
        return attributes;
    }

    public static Item FromAttributes(IReadOnlyDictionary<string, AttributeValue> attributes) => new(
        Text(attributes, Id),
        Text(attributes, Name),
        OptionalText(attributes, Description),
        decimal.Parse(Number(attributes, Price), NumberStyles.Number, CultureInfo.InvariantCulture),
        attributes.TryGetValue(Tags, out var tags) && tags.L is { } list ? list.Select(t => t.S ?? "").ToList() : [],
        Text(attributes, CreatedAt),
        Text(attributes, UpdatedAt),
        long.Parse(Number(attributes, Version), CultureInfo.InvariantCulture),
        OptionalText(attributes, CreatedBy),
        OptionalText(attributes, UpdatedBy));

    /// <exception cref="InvalidDataException">The stored item lacks the attribute or has another type: not one we wrote.</exception>
    private static string Text(IReadOnlyDictionary<string, AttributeValue> attributes, string name) =>
        attributes.TryGetValue(name, out var value) && value.S is { } text ? text : throw Malformed(name, "a string");

    /// <summary>An optional string is left out when absent: a stored NULL would only have to be read back as null.</summary>
    private static void AddUnlessNull(Dictionary<string, AttributeValue> attributes, string name, string? value)
    {
        if (value is not null)
        {
            attributes[name] = S(value);
        }
    }

    private static string? OptionalText(IReadOnlyDictionary<string, AttributeValue> attributes, string name) =>
        attributes.TryGetValue(name, out var value) ? value.S : null;

    private static string Number(IReadOnlyDictionary<string, AttributeValue> attributes, string name) =>
        attributes.TryGetValue(name, out var value) && value.N is { } number ? number : throw Malformed(name, "a number");

    private static InvalidDataException Malformed(string name, string what) => new($"The stored item's '{name}' is missing or not {what}.");

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    // A list, not a string set: DynamoDB refuses empty sets, and a list keeps the client's order.
    public static AttributeValue L(IReadOnlyList<string> values) => new() { L = values.Select(S).ToList() };
}
