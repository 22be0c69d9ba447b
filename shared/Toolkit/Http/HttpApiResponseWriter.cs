using System.Buffers;
using System.Text.Json;
using Functions.Json;

namespace Functions.Http;

/// <summary>
/// Writes a payload 2.0 response byte for byte as the serializer would (<see cref="FunctionsJson"/>: camelCase, nulls
/// left out, <see cref="WireJson"/>'s escaping), straight onto a <see cref="Utf8JsonWriter"/>: every invocation writes
/// one, and the serializer's first use would cost the first invocation its metadata (see <see cref="HttpApiEventReader"/>).
/// </summary>
public static class HttpApiResponseWriter
{
    public static byte[] Write(HttpApiResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var buffer = new ArrayBufferWriter<byte>(256 + (response.Body?.Length ?? 0));
        using (var json = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            json.WriteStartObject();
            WriteHead(json, response);
            if (response.Body is { } body)
            {
                json.WriteString("body", body);
            }
            json.WriteBoolean("isBase64Encoded", response.IsBase64Encoded);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The status, headers and cookies: all of a streamed response's prelude, the start of a buffered one.</summary>
    internal static void WriteHead(Utf8JsonWriter json, HttpApiResponse response)
    {
        json.WriteNumber("statusCode", response.StatusCode);
        if (response.Headers is { } headers)
        {
            json.WriteStartObject("headers");
            foreach (var (name, value) in headers)
            {
                if (value is null)
                {
                    json.WriteNull(name);
                }
                else
                {
                    json.WriteString(name, value);
                }
            }
            json.WriteEndObject();
        }
        if (response.Cookies is { } cookies)
        {
            json.WriteStartArray("cookies");
            foreach (var cookie in cookies)
            {
                json.WriteStringValue(cookie);
            }
            json.WriteEndArray();
        }
    }
}
