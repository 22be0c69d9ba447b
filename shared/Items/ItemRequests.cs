using System.Globalization;
using Functions.Errors;
using Functions.Http;

namespace Functions.Items;

/// <summary>What the Items functions read from a request besides the body.</summary>
public static class ItemRequests
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The {id} path parameter; an id we could never have made is simply not found.</summary>
    public static string Id(HttpApiRequest request) => Id(request.PathParameter("id"));

    /// <inheritdoc cref="Id(HttpApiRequest)"/>
    public static string Id(string? id) =>
        ItemId.IsWellFormed(id) ? id! : throw ApiError.NotFound($"There is no item with the id '{id}'.");

    /// <summary>
    /// If-Match as a version: null when absent or "*" (any existing item). An ETag we never issued cannot match,
    /// so it fails the precondition rather than being a syntax error; nor can a weak one, since If-Match compares
    /// strongly (RFC 9110 §13.1.1).
    /// </summary>
    public static long? ExpectedVersion(HttpApiRequest request) => ExpectedVersion(request.Header("if-match"));

    /// <inheritdoc cref="ExpectedVersion(HttpApiRequest)"/>
    public static long? ExpectedVersion(string? ifMatch)
    {
        var header = ifMatch?.Trim();
        if (header is null or "" or "*")
        {
            return null;
        }
        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? "" : header.Trim('"');
        return long.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw ApiError.PreconditionFailed($"If-Match {header} does not match the item's ETag.");
    }

    public static int Limit(HttpApiRequest request) => Limit(request.QueryParameter("limit"));

    /// <summary>The page size from the limit query value: 1 to 100, 20 when absent.</summary>
    public static int Limit(string? text)
    {
        if (text is null)
        {
            return DefaultLimit;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit
            ? limit
            : throw ApiError.Invalid("limit", $"must be a whole number from 1 to {MaxLimit}");
    }

    /// <summary>The id after which the page starts, or null for the first page.</summary>
    public static string? After(HttpApiRequest request) => After(request.QueryParameter("cursor"));

    /// <inheritdoc cref="After(HttpApiRequest)"/>
    public static string? After(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        return Cursor.TryDecode(cursor, out var lastId)
            ? lastId
            : throw ApiError.Invalid("cursor", "is not a cursor this API issued; use nextCursor from a previous page");
    }
}
