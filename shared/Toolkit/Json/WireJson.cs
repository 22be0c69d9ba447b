using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Functions.Json;

/// <summary>
/// The serializer options every context of a function writes with. System.Text.Json's default encoder escapes for
/// HTML pages (a quote inside a string body becomes \u0022, an apostrophe \u0027, every non-ASCII letter \u00E9);
/// API Gateway and Lambda write JSON that escapes only what JSON requires, and so do we. The relaxed encoder is safe
/// here because nothing we write is embedded in HTML, and it is a plain type: no reflection, AOT-clean.
/// </summary>
public static class WireJson
{
    /// <summary>camelCase, nulls left out (as the contexts' [JsonSourceGenerationOptions]), minimal escaping.</summary>
    public static JsonSerializerOptions Options() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The same escaping for code that writes with Utf8JsonWriter (the JSON log lines).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
