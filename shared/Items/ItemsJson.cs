using System.Text.Json.Serialization;

namespace Functions.Items;

/// <summary>The Items app's types on the wire, source-generated with the toolkit's options: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(ItemPage))]
public sealed partial class ItemsJson : JsonSerializerContext;
