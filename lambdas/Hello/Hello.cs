using Functions.Http;
using Functions.Json;

namespace Functions.Lambdas;

/// <summary>GET /hello: the cold-start floor, nothing but the runtime loop and one JSON answer.</summary>
public static class Hello
{
    // Built once per execution environment, like a service: every request gets the same answer.
    private static readonly HttpApiResponse Answer = Results.Ok(new MessageBody("hello"), FunctionsJson.Wire.MessageBody);

    [HttpApi("GET", "/hello")]
    public static HttpApiResponse Get() => Answer;
}
