using Functions.Http;
using Functions.Json;
using Functions.Runtime;

// GET /hello: the cold-start floor, nothing but the runtime loop and one JSON answer.
return await LambdaBootstrap.RunAsync(_ =>
{
    var hello = Results.Ok(new MessageBody("hello"), FunctionsJson.Default.MessageBody);
    return new HttpFunction((_, _) => Task.FromResult(hello));
});
