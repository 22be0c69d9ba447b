using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

namespace Functions.Lambdas;

/// <summary>DELETE /items/{id} (If-Match optional) -> 204.</summary>
public static class ItemsDelete
{
    /// <remarks>GetItem too: after a refused conditional delete the store reads the item to tell 404 from 412.</remarks>
    [HttpApi("DELETE", "/items/{id}")]
    [UsesTable("Items", TableAccess.DeleteItem | TableAccess.GetItem)]
    [Authorize("items:write")]
    public static async Task<HttpApiResponse> Delete(string? id, [FromHeader("if-match")] string? ifMatch, ItemsStore items, InvocationContext context)
    {
        await items.DeleteAsync(ItemRequests.Id(id), ItemRequests.ExpectedVersions(ifMatch), context.CancellationToken);
        return Results.NoContent();
    }
}
