using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

namespace Functions.Lambdas;

/// <summary>GET /items?limit=&amp;cursor= -> 200 {"items":[...],"nextCursor":...}.</summary>
public static class ItemsList
{
    [HttpApi("GET", "/items")]
    [UsesTable("Items", TableAccess.Scan)]
    public static async Task<HttpApiResponse> List([FromQuery] string? limit, [FromQuery] string? cursor, ItemsStore items, InvocationContext context)
    {
        // Text, not int?: the Items API's own rule (1 to 100) and message for a bad limit, as events/README.md lists.
        var page = await items.ListAsync(ItemRequests.Limit(limit), ItemRequests.After(cursor), context.CancellationToken);
        return ItemResults.Page(page);
    }
}
