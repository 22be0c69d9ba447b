using Functions.Data;
using Functions.Http;
using Functions.Items;
using Functions.Runtime;

// POST /items -> 201 + Location + ETag
return await LambdaBootstrap.RunAsync(startup =>
{
    var items = ItemsStore.Create(startup.Environment);
    return new HttpFunction(async (request, context) =>
    {
        var input = ItemInputReader.Read(RequestBody.ReadJson(request));
        var item = await items.CreateAsync(input, context.CancellationToken);
        return ItemResults.Created(item);
    });
});
