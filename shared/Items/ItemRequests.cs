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

    /// <summary>
    /// Who is calling: the sub of the token the route's JWT authorizer accepted; null when no authorizer vouched for
    /// anyone. It is stored as the item's createdBy or updatedBy and shown to whoever reads the item, so it keeps the
    /// rule names keep (<see cref="UnseenCharacters"/>): a sub with a character a reader cannot see is refused, not stored.
    /// </summary>
    /// <remarks>
    /// 403 Forbidden: the gateway authenticated the caller and the request is well-formed, but the API refuses to act
    /// as this identity, and nothing in the request except another token can change that (RFC 9110 §15.5.4: the
    /// credentials are understood and not sufficient). Not 400, which would send the client to fix a body that is
    /// fine; not 401, which would tell it to authenticate again, to get the same token from the same issuer.
    /// </remarks>
    public static string? Caller(HttpApiRequest request)
    {
        var sub = request.Claim("sub");
        return sub is not null && UnseenCharacters.FirstIn(sub) is { } unseen
            ? throw ApiError.Forbidden($"The token's sub holds {unseen}, which this API does not record as the writer of an item (createdBy, updatedBy): use a token whose sub is plain text.")
            : sub;
    }

    /// <summary>A caller's value in a message: at most 64 characters, so an 8 KB header does not come back whole.</summary>
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
