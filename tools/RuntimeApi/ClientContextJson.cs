using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Functions.Tools.RuntimeApi;

/// <summary>
/// A client context as Lambda takes it (Invoke's X-Amz-Client-Context: "up to 3,583 bytes of base64-encoded data", a
/// JSON object) and as the Runtime API hands it on, in the Lambda-Runtime-Client-Context header. A header carries
/// ASCII only, so the JSON is passed on re-written with every non-ASCII character as a \u escape: the same value for
/// any JSON reader, and nothing a caller sends can make /next unanswerable.
/// </summary>
public static class ClientContextJson
{
    /// <summary>Lambda's limit on the base64 text of a client context.</summary>
    public const int MaxBase64Length = 3583;

    private const string Expected = "a JSON object in UTF-8, e.g. {\"custom\":{\"k\":\"v\"}}";

    private static readonly JsonWriterOptions AsciiOnly = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.BasicLatin) };

    /// <summary>The JSON to pass on for X-Amz-Client-Context's base64 text.</summary>
    /// <exception cref="InvalidClientContextException">Not base64, over the limit, or not a UTF-8 JSON object.</exception>
    public static string FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        if (base64.Length > MaxBase64Length)
        {
            throw new InvalidClientContextException($"Client context must be at most {MaxBase64Length} bytes of base64; this one is {base64.Length} bytes.");
        }
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            throw new InvalidClientContextException($"Client context must be base64-encoded: {Expected}.");
        }
        return Normalize(bytes.AsSpan(0, length));
    }

    /// <summary>The JSON to pass on for a client context given as JSON text (./fn invoke --client-context).</summary>
    /// <exception cref="InvalidClientContextException">Not a JSON object, or larger than Lambda takes.</exception>
    public static string FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = Encoding.UTF8.GetBytes(json);
        var base64Length = (bytes.Length + 2) / 3 * 4;
        if (base64Length > MaxBase64Length)
        {
            throw new InvalidClientContextException($"Client context must be at most {MaxBase64Length} bytes once base64-encoded, as Lambda takes it; this one would be {base64Length}.");
        }
        return Normalize(bytes);
    }

    private static string Normalize(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new InvalidClientContextException($"Client context is not valid UTF-8: it must be {Expected}.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidClientContextException($"Client context is not valid JSON (byte {(e.BytePositionInLine ?? 0) + 1} of line {(e.LineNumber ?? 0) + 1}): it must be {Expected}.");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidClientContextException($"Client context is JSON but not an object: it must be {Expected}.");
            }
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, AsciiOnly))
            {
                document.RootElement.WriteTo(writer);
            }
            return Encoding.ASCII.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}

/// <summary>A client context Lambda would refuse; the message says what is wrong.</summary>
public sealed class InvalidClientContextException(string message) : Exception(message);
