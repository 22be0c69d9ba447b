using System.Text.Json.Serialization;
using Functions.Errors;
using Functions.Http;
using Functions.Runtime;

namespace Functions.Json;

/// <summary>The toolkit's types on the wire, source-generated: no reflection where a function runs. An app adds its own context (shared/Items/ItemsJson.cs).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(ErrorReport))]
[JsonSerializable(typeof(MessageBody))]
public sealed partial class FunctionsJson : JsonSerializerContext
{
    /// <summary>The context to write with: <see cref="WireJson"/>'s escaping (Default escapes quotes as \u0022).</summary>
    public static FunctionsJson Wire { get; } = new(WireJson.Options());
}
