using System.Text.Json.Serialization;

namespace Functions.Tools.Remote;

/// <summary>The bridge's settings as JSON, source-generated (the tool is trimmed: no reflection).</summary>
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
public sealed partial class RemoteJson : JsonSerializerContext;
