using Functions.Data;
using Functions.Errors;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

namespace Functions.Lambdas;

/// <summary>GET /items/{id} -> 200 + ETag.</summary>
public static class ItemsGet
{
    [HttpApi("GET", "/items/{id}")]
    [UsesTable("Items", TableAccess.GetItem)]
    public static async Task<HttpApiResponse> Get(string? id, ItemsStore items, InvocationContext context)
    {
        var wellFormed = ItemRequests.Id(id);
        var item = await items.GetAsync(wellFormed, context.CancellationToken)
            ?? throw ApiError.NotFound($"There is no item with the id '{wellFormed}'.");
        return ItemResults.Ok(item);
    }
}
