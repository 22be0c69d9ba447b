using System.Text;
using Functions.Tools.ApiGateway;

namespace Functions.Tests.ApiGateway;

public sealed class StreamPreludeTests
{
    [Fact]
    public void A_prelude_gives_its_status_headers_and_cookies()
    {
        var prelude = StreamPrelude.Parse("""{"statusCode":201,"headers":{"content-type":"text/plain","x-a":"1"},"cookies":["a=1","b=2; Secure"]}"""u8);

        Assert.Equal(201, prelude.StatusCode);
        Assert.Equal([KeyValuePair.Create("content-type", "text/plain"), KeyValuePair.Create("x-a", "1")], prelude.Headers);
        Assert.Equal(["a=1", "b=2; Secure"], prelude.Cookies);
    }

    [Fact]
    public void A_header_or_cookie_that_is_not_a_string_is_passed_on_as_its_JSON_text()
    {
        var prelude = StreamPrelude.Parse("""{"statusCode":200,"headers":{"x-count":3,"x-on":true},"cookies":[42]}"""u8);

        Assert.Equal([KeyValuePair.Create("x-count", "3"), KeyValuePair.Create("x-on", "true")], prelude.Headers);
        Assert.Equal(["42"], prelude.Cookies);
    }

    [Theory]
    [InlineData("""{"headers":{}}""", "no statusCode from 100 to 599")]
    [InlineData("""{"statusCode":99}""", "no statusCode from 100 to 599")]
    [InlineData("""{"statusCode":"200"}""", "no statusCode from 100 to 599")]
    [InlineData("""[200]""", "no statusCode from 100 to 599")]
    [InlineData("""{"statusCode":200""", "the prelude is not JSON")]
    public void A_prelude_without_a_usable_status_is_an_invalid_function_response(string json, string says)
    {
        var refused = Assert.Throws<InvalidFunctionResponseException>(() => StreamPrelude.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
    }
}
