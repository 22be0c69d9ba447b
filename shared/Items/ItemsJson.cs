using System.Text.Json.Serialization;
using Functions.Json;

namespace Functions.Items;

/// <summary>The Items app's types on the wire, source-generated with the toolkit's options: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(ItemPage))]
public sealed partial class ItemsJson : JsonSerializerContext
{
    /// <summary>The context to write with: <see cref="WireJson"/>'s escaping (Default escapes quotes as \u0022).</summary>
    public static ItemsJson Wire { get; } = new(WireJson.Options());
}
