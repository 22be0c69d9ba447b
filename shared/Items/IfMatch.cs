using System.Globalization;
using Functions.Errors;

namespace Functions.Items;

/// <summary>
/// If-Match as RFC 9110 §13.1.1 defines it: "*" (any current item) or a list of entity-tags, compared strongly. Our
/// ETags are "N", N the item's version, so the list becomes the versions it may match; a weak tag or one we could
/// never have issued ("01", "abc") matches nothing, while a value that is not an entity-tag list at all (1, "1) is a 400.
/// </summary>
public static class IfMatch
{
    /// <summary>DynamoDB's IN takes at most 100 operands.</summary>
    public const int MaxTags = 100;

    /// <summary>Null when the header is absent or "*"; else the versions it matches (possibly none).</summary>
    public static IReadOnlyList<long>? Versions(string? header)
    {
        if (header is null || header.Trim() is "" or "*")
        {
            return null;
        }
        var versions = new List<long>();
        var tags = 0;
        var at = 0;
        while (true)
        {
            // #rule lists allow empty elements and optional whitespace around commas.
            while (at < header.Length && (header[at] is ' ' or '\t' or ','))
            {
                at++;
            }
            if (at == header.Length)
            {
                break;
            }
            var weak = string.CompareOrdinal(header, at, "W/", 0, 2) == 0;
            at += weak ? 2 : 0;
            if (at >= header.Length || header[at] != '"')
            {
                throw Malformed();
            }
            var close = header.IndexOf('"', at + 1);
            if (close < 0 || header.AsSpan(at + 1, close - at - 1).ContainsAnyExceptInRange('\u0021', '\u007E'))
            {
                throw Malformed();
            }
            var tag = header[(at + 1)..close];
            if (++tags > MaxTags)
            {
                throw ApiError.Invalid("If-Match", $"lists more than {MaxTags} entity-tags");
            }
            if (!weak && Issued(tag) is { } version)
            {
                versions.Add(version);
            }
            at = close + 1;
            while (at < header.Length && header[at] is ' ' or '\t')
            {
                at++;
            }
            if (at < header.Length && header[at] != ',')
            {
                throw Malformed();
            }
        }
        return tags == 0 ? throw Malformed() : versions;
    }

    /// <summary>A version as we write it in an ETag: a positive whole number without leading zeros.</summary>
    private static long? Issued(string tag) =>
        tag.Length > 0 && tag[0] != '0' && long.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    private static ApiError Malformed() =>
        ApiError.Invalid("If-Match", "must be * or a list of entity-tags such as \"3\" (quotes included), as the ETag header gives them");
}
