using System.Text.Json.Serialization;
using Functions.Errors;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

namespace Functions.Json;

/// <summary>Every type on the wire, source-generated: no reflection where a function runs.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(ErrorReport))]
[JsonSerializable(typeof(MessageBody))]
[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(ItemPage))]
public sealed partial class FunctionsJson : JsonSerializerContext;
