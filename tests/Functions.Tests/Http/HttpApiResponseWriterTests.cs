using System.Text.Json;
using Functions.Http;
using Functions.Json;

namespace Functions.Tests.Http;

/// <summary>The runtime writes responses itself: byte for byte what the serializer writes, for every shape a response takes.</summary>
public sealed class HttpApiResponseWriterTests
{
    public static TheoryData<string> Responses() => new()
    {
        "ok",
        "no content",
        "problem",
        "cookies and headers",
        "escaping",
        "base64",
        "empty collections",
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void A_response_is_written_as_the_serializer_writes_it(string name)
    {
        var response = name switch
        {
            "ok" => Results.Ok(new MessageBody("hello"), FunctionsJson.Wire.MessageBody),
            "no content" => Results.NoContent(),
            "problem" => Results.Problem(400, "The name is missing.", "req-1", new Dictionary<string, string[]> { ["name"] = ["required"] }),
            "cookies and headers" => new HttpApiResponse { StatusCode = 302, Headers = new() { ["location"] = "/x", ["x-null"] = null! }, Cookies = ["a=1; Path=/", "b=2"] },
            "escaping" => new HttpApiResponse { StatusCode = 200, Headers = new() { ["x-é"] = "\"<tag>\" & 'é' \u2028 \u0001" }, Body = "{\"a\":\"\\u0000 é 😀 </script>\"}" },
            "base64" => new HttpApiResponse { StatusCode = 200, Body = "AAEC", IsBase64Encoded = true },
            "empty collections" => new HttpApiResponse { StatusCode = 500, Headers = [], Cookies = [], Body = "" },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Equal(
            JsonSerializer.SerializeToUtf8Bytes(response, FunctionsJson.Wire.HttpApiResponse),
            HttpApiResponseWriter.Write(response));
    }
}
