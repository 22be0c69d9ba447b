using System.Text;

namespace Functions.Tools;

/// <summary>
/// Something a caller gave, quoted back in a message or a log line: cut to a length, control characters written as
/// \uXXXX, so the message stays one readable line whatever was sent.
/// </summary>
public static class ShownText
{
    public static string Of(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > maxLength ? text[..maxLength] : text;
        var shown = new StringBuilder(cut.Length);
        foreach (var c in cut)
        {
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return text.Length > maxLength ? shown + "..." : shown.ToString();
    }
}
