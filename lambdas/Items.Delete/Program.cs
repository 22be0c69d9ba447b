using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

// DELETE /items/{id} (If-Match optional) -> 204
return await LambdaBootstrap.RunAsync(startup =>
{
    var items = ItemsStore.Create(startup.Environment);
    return new HttpFunction(async (request, context) =>
    {
        var id = ItemRequests.Id(request);
        var expectedVersion = ItemRequests.ExpectedVersion(request);
        await items.DeleteAsync(id, expectedVersion, context.CancellationToken);
        return Results.NoContent();
    });
});
