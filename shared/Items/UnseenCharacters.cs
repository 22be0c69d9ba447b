namespace Functions.Items;

/// <summary>
/// The one rule for text the API stores and shows back to people, whether a client sent it (an item's name,
/// description, tags) or its token's issuer did (the sub recorded as createdBy and updatedBy): no character a reader
/// cannot see. Control characters (NUL, ESC; line breaks and tabs allowed where text may span lines) and the
/// bidirectional controls that reorder what is displayed (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) can
/// make one text read as another, or cut it short where it is shown.
/// </summary>
public static class UnseenCharacters
{
    /// <summary>The first such character in <paramref name="text"/>, named ("U+202E (a bidirectional control)"); null when there is none.</summary>
    public static string? FirstIn(string text, bool allowLineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            var code = rune.Value;
            var control = System.Globalization.CharUnicodeInfo.GetUnicodeCategory(code) == System.Globalization.UnicodeCategory.Control
                && !(allowLineBreaks && code is '\n' or '\r' or '\t');
            var bidi = code is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C;
            if (control || bidi)
            {
                return $"U+{code:X4} ({(control ? "a control character" : "a bidirectional control")})";
            }
        }
        return null;
    }
}
