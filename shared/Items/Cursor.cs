using System.Text;

namespace Functions.Items;

/// <summary>
/// The opaque paging cursor of GET /items: base64url of a versioned prefix and the last item id of the page.
/// Versioned so the key layout can change without old cursors being misread.
/// </summary>
public static class Cursor
{
    private const string Prefix = "1:";

    public static string Encode(string lastId) => Base64Url.Encode(Encoding.UTF8.GetBytes(Prefix + lastId));

    public static bool TryDecode(string cursor, out string lastId)
    {
        lastId = string.Empty;
        if (!Base64Url.TryDecode(cursor, out var bytes))
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (ArgumentException)
        {
            return false;
        }
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || !ItemId.IsWellFormed(text[Prefix.Length..]))
        {
            return false;
        }
        lastId = text[Prefix.Length..];
        return true;
    }
}
