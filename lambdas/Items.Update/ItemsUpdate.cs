using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

namespace Functions.Lambdas;

/// <summary>PUT /items/{id} (If-Match optional) -> 200 + ETag.</summary>
public static class ItemsUpdate
{
    /// <remarks>
    /// GetItem too: after a refused conditional write with If-Match the store reads the item to tell 404 from 412
    /// (shared/Items/Data/ItemsStore.cs). The body is read after the id and If-Match are checked, in the order
    /// events/README.md gives the statuses, so the handler takes the request rather than a bound body.
    /// </remarks>
    [HttpApi("PUT", "/items/{id}")]
    [UsesTable("Items", TableAccess.UpdateItem | TableAccess.GetItem)]
    [Authorize("items:write")]
    public static async Task<HttpApiResponse> Update(string? id, [FromHeader("if-match")] string? ifMatch, HttpApiRequest request, ItemsStore items, InvocationContext context)
    {
        var wellFormed = ItemRequests.Id(id);
        var expectedVersions = ItemRequests.ExpectedVersions(ifMatch);
        var input = ItemInputReader.Read(RequestBody.ReadJson(request));
        var item = await items.UpdateAsync(wellFormed, input, expectedVersions, ItemRequests.Caller(request), context.CancellationToken);
        return ItemResults.Ok(item);
    }
}
