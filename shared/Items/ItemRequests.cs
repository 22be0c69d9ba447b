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
        ItemId.IsWellFormed(id) ? id! : throw ApiError.NotFound($"There is no item with the id '{Shown(id ?? "")}'.");

    /// <summary>
    /// The versions If-Match accepts (see <see cref="IfMatch"/>): null for any existing item. A list that names no
    /// version we could have issued cannot match whatever the item is: 412 at once, before the item is looked up.
    /// </summary>
    public static IReadOnlyList<long>? ExpectedVersions(string? ifMatch) => IfMatch.Versions(ifMatch) switch
    {
        { Count: 0 } => throw ApiError.PreconditionFailed($"If-Match {Shown(ifMatch!)} names no ETag this API issues, so it cannot match."),
        var versions => versions,
    };

    /// <summary>A caller's value in a message: at most 64 characters, so an 8 KB header does not come back whole.</summary>
    /// <summary>Who is calling: the sub of the token the route's JWT authorizer accepted; null when no authorizer vouched for anyone.</summary>
    public static string? Caller(HttpApiRequest request) => request.Claim("sub");

    public static string Shown(string value) => value.Length <= 64 ? value : value[..61] + "...";

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
