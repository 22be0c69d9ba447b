using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

// GET /items?limit=&cursor= -> 200 {"items":[...],"nextCursor":...}
return await LambdaBootstrap.RunAsync(startup =>
{
    var items = ItemsStore.Create(startup.Environment);
    return new HttpFunction(async (request, context) =>
    {
        var limit = ItemRequests.Limit(request);
        var after = ItemRequests.After(request);
        var page = await items.ListAsync(limit, after, context.CancellationToken);
        return ItemResults.Page(page);
    });
});
