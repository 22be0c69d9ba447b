using System.Text;
using System.Text.Json;
using Functions.Http;
using Functions.Json;
using Functions.Tools;

namespace Functions.Tests.Http;

/// <summary>
/// The runtime reads payload 2.0 events with its own reader, not the serializer: it must read every event exactly as
/// the serializer would (compared member for member by writing both back out) and refuse what the serializer refuses.
/// </summary>
public sealed class HttpApiEventReaderTests
{
    public static TheoryData<string> SampleEvents()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Locate().Root, "events"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SampleEvents))]
    public void Every_sample_event_reads_as_the_serializer_reads_it(string file)
    {
        var payload = File.ReadAllBytes(Path.Combine(Repository.Locate().Root, "events", file));

        AssertReadsAsSerializer(payload);
    }

    [Theory]
    [InlineData("""{"version":"2.0","routeKey":"GET /x","rawPath":"/x","rawQueryString":"a=1&a=2","cookies":["c=1","d=2"],"headers":{"h":"v","x-empty":""},"queryStringParameters":{"a":"1,2"},"pathParameters":{"id":"42"},"stageVariables":{"s":"t"},"body":"eyJhIjoxfQ==","isBase64Encoded":true}""")]
    [InlineData("""{"requestContext":{"accountId":"1","apiId":"api","domainName":"d","domainPrefix":"p","requestId":"r","routeKey":"GET /x","stage":"$default","time":"05/Dec/2026:09:00:00 +0000","timeEpoch":1796547600000,"http":{"method":"GET","path":"/x","protocol":"HTTP/1.1","sourceIp":"127.0.0.1","userAgent":"curl"}}}""")]
    [InlineData("""{"requestContext":{"authorizer":{"jwt":{"claims":{"sub":"u","scope":"items:write"},"scopes":["items:write"]}}}}""")]
    [InlineData("""{"requestContext":{"authorizer":{"iam":{"accessKey":"AK","accountId":"1","callerId":"c","cognitoIdentity":{"amr":["x"],"identityId":"i"},"principalOrgId":"o","userArn":"arn","userId":"u"},"lambda":{"n":1,"s":"x","o":{"deep":[1,{"a":null}]},"z":null}}}}""")]
    [InlineData("""{"requestContext":{"authentication":{"clientCert":{"clientCertPem":"PEM","subjectDN":"CN=a","issuerDN":"CN=b","serialNumber":"1","validity":{"notBefore":"a","notAfter":"b"}}}}}""")]
    [InlineData("""{"headers":null,"cookies":null,"requestContext":null,"body":null,"pathParameters":{"id":null}}""")]
    [InlineData("""{"unknown":{"a":[1,2,{"b":true}]},"Version":"ignored: names are matched exactly","version":"2.0","extra":[],"requestContext":{"other":1,"http":{"method":"POST","more":{}}}}""")]
    [InlineData("""{"body":"\u00e9\ud83d\ude00 \"quoted\" \\ \n","headers":{"a\u0041":"\u0000"}}""")]
    [InlineData("""{"version":"1.0","version":"2.0"}""")]
    [InlineData("  \n {\n \"rawPath\" : \"/spaced\" \n } \n ")]
    [InlineData("{}")]
    public void Every_member_reads_as_the_serializer_reads_it(string json)
    {
        AssertReadsAsSerializer(Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public void Null_is_no_request()
    {
        Assert.Null(HttpApiEventReader.Read("null"u8));
    }

    [Theory]
    [InlineData("not json", null)]
    [InlineData("\uFEFF{}", null)]
    [InlineData("{\"a\":", null)]
    [InlineData("{} {}", null)]
    [InlineData("[1,2]", "$")]
    [InlineData("\"GET /hello\"", "$")]
    [InlineData("""{"headers":{"a":5}}""", "$.headers.a")]
    [InlineData("""{"headers":[]}""", "$.headers")]
    [InlineData("""{"cookies":["a",1]}""", "$.cookies")]
    [InlineData("""{"isBase64Encoded":"true"}""", "$.isBase64Encoded")]
    [InlineData("""{"isBase64Encoded":null}""", "$.isBase64Encoded")]
    [InlineData("""{"requestContext":{"timeEpoch":1.5}}""", "$.requestContext.timeEpoch")]
    [InlineData("""{"requestContext":{"http":{"method":7}}}""", "$.requestContext.http.method")]
    [InlineData("""{"requestContext":{"authorizer":{"jwt":{"scopes":"items:write"}}}}""", "$.requestContext.authorizer.jwt.scopes")]
    [InlineData("""{"requestContext":"x"}""", "$.requestContext")]
    public void What_the_serializer_refuses_is_refused_and_says_where(string json, string? path)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(payload, FunctionsJson.Wire.HttpApiRequest));

        var error = Assert.ThrowsAny<JsonException>(() => HttpApiEventReader.Read(payload));

        Assert.Equal(path, error.Path);
        Assert.NotNull(error.LineNumber);
    }

    [Fact]
    public void A_refusal_says_the_line_and_byte_of_the_value()
    {
        var error = Assert.ThrowsAny<JsonException>(() => HttpApiEventReader.Read("{\n  \"version\": \"2.0\",\n  \"headers\": {\"a\": 5}\n}"u8));

        Assert.Equal(2, error.LineNumber);
        Assert.Equal(19, error.BytePositionInLine);
    }

    private static void AssertReadsAsSerializer(byte[] payload)
    {
        var expected = JsonSerializer.Deserialize(payload, FunctionsJson.Wire.HttpApiRequest);
        var actual = HttpApiEventReader.Read(payload);

        Assert.Equal(
            JsonSerializer.Serialize(expected, FunctionsJson.Wire.HttpApiRequest),
            JsonSerializer.Serialize(actual, FunctionsJson.Wire.HttpApiRequest));
    }
}
