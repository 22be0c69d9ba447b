using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

namespace Functions.Lambdas;

/// <summary>POST /items -> 201 + Location + ETag.</summary>
public static class ItemsCreate
{
    [HttpApi("POST", "/items")]
    [UsesTable("Items", TableAccess.PutItem)]
    [Authorize("items:write")]
    public static async Task<HttpApiResponse> Create(ItemInput input, HttpApiRequest request, ItemsStore items, InvocationContext context)
    {
        var item = await items.CreateAsync(input, ItemRequests.Caller(request), context.CancellationToken);
        return ItemResults.Created(item);
    }
}
