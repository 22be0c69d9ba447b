using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Functions.Tools.WebConsole;

/// <summary>
/// An event the console saves: {"case": "...", "text": "..."} from its page, kept as events/&lt;kebab&gt;.&lt;case&gt;.json,
/// the samples' naming (events/README.md): a case is lowercase words of letters and digits joined by hyphens.
/// </summary>
internal static partial class SavedEvent
{
    /// <returns>The file name and the text to write, or nulls when the request breaks a rule (<see cref="Why"/> says which).</returns>
    public static (string? File, string? Text) Read(byte[]? body, string kebab)
    {
        if (body is null || Parse(body) is not var (name, text) || !CaseName().IsMatch(name) || !IsJsonObject(text))
        {
            return (null, null);
        }
        return ($"{kebab}.{name}.json", text.EndsWith('\n') ? text : text + "\n");
    }

    public static string Why(byte[]? body, string kebab) => body is null
        ? "The event is too large to save."
        : Parse(body) is not var (name, text)
            ? "Send {\"case\": \"NAME\", \"text\": \"EVENT\"}."
            : !CaseName().IsMatch(name)
                ? $"\"{ShownText.Of(name, 60)}\" cannot name an event: use lowercase letters, digits and hyphens, e.g. {kebab}.missing-name.json's \"missing-name\"."
                : "The event is not a JSON object: fix it before saving.";

    private static (string Name, string Text)? Parse(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("case", out var name) && name.ValueKind == JsonValueKind.String
                && json.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                ? (name.GetString()!, text.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetBytes(text));
            return json.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex CaseName();
}
