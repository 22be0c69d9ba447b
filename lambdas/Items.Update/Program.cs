using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

// PUT /items/{id} (If-Match optional) -> 200 + ETag
return await LambdaBootstrap.RunAsync(startup =>
{
    var items = ItemsStore.Create(startup.Environment);
    return new HttpFunction(async (request, context) =>
    {
        var id = ItemRequests.Id(request);
        var expectedVersion = ItemRequests.ExpectedVersion(request);
        var input = ItemInputReader.Read(RequestBody.ReadJson(request));
        var item = await items.UpdateAsync(id, input, expectedVersion, context.CancellationToken);
        return ItemResults.Ok(item);
    });
});
