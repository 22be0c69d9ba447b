using Functions.Data;
using Functions.Errors;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

// GET /items/{id} -> 200 + ETag
return await LambdaBootstrap.RunAsync(startup =>
{
    var items = ItemsStore.Create(startup.Environment);
    return new HttpFunction(async (request, context) =>
    {
        var id = ItemRequests.Id(request);
        var item = await items.GetAsync(id, context.CancellationToken)
            ?? throw ApiError.NotFound($"There is no item with the id '{id}'.");
        return ItemResults.Ok(item);
    });
});
