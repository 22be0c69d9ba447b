using Functions;
using Functions.Http;
using Functions.Json;

namespace FnApp.Lambdas;

/// <summary>GET /hello: one function, one route. fn new adds the next one beside it.</summary>
public static class Hello
{
    // Built once per execution environment: every request gets the same answer.
    private static readonly HttpApiResponse Answer = Results.Ok(new MessageBody("hello"), FunctionsJson.Wire.MessageBody);

    [HttpApi("GET", "/hello")]
    public static HttpApiResponse Get() => Answer;
}
