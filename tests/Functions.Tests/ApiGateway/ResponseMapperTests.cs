using System.Text;
using Functions.Tools.ApiGateway;

namespace Functions.Tests.ApiGateway;

/// <summary>How HTTP API turns a payload 2.0 function result into the HTTP response.</summary>
public sealed class ResponseMapperTests
{
    [Fact]
    public void Status_headers_and_body_are_sent_as_given()
    {
        // Arrange
        var result = """{"statusCode":201,"headers":{"Location":"/items/1","ETag":"\"1\""},"body":"{\"id\":\"1\"}"}""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(201, response.StatusCode);
        Assert.Equal([new("Location", "/items/1"), new("ETag", "\"1\"")], response.Headers);
        Assert.Equal("""{"id":"1"}""", Text(response));
    }

    [Fact]
    public void Each_cookie_becomes_a_set_cookie_header()
    {
        // Arrange
        var result = """{"statusCode":200,"cookies":["a=1; Path=/","b=2; HttpOnly"],"body":"ok"}""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal([new("set-cookie", "a=1; Path=/"), new("set-cookie", "b=2; HttpOnly")], response.Headers);
    }

    [Fact]
    public void A_base64_body_is_decoded()
    {
        // Arrange
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF];
        var result = $$"""{"statusCode":200,"headers":{"content-type":"image/png"},"body":"{{Convert.ToBase64String(png)}}","isBase64Encoded":true}""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(png, response.Body);
    }

    [Fact]
    public void A_text_body_is_sent_as_UTF8()
    {
        // Arrange
        var result = """{"statusCode":200,"body":"café €","isBase64Encoded":false}""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(Encoding.UTF8.GetBytes("café €"), response.Body);
    }

    [Fact]
    public void A_response_without_a_body_is_empty()
    {
        // Arrange
        var result = """{"statusCode":204}""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(204, response.StatusCode);
        Assert.Empty(response.Body);
        Assert.Empty(response.Headers);
    }

    [Fact]
    public void Null_properties_count_as_absent()
    {
        // Arrange: what a .NET serializer writes for properties left unset.
        var result = """{"statusCode":404,"headers":null,"cookies":null,"body":null,"isBase64Encoded":null}""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(404, response.StatusCode);
        Assert.Empty(response.Headers);
        Assert.Empty(response.Body);
    }

    [Fact]
    public void MultiValueHeaders_of_format_1_are_ignored()
    {
        // Arrange
        var result = """{"statusCode":200,"multiValueHeaders":{"x-a":["1","2"]},"body":""}""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Empty(response.Headers);
    }

    [Fact]
    public void An_object_without_statusCode_is_the_body_with_200_and_JSON()
    {
        // Arrange: the documentation's example, spacing and all.
        var result = """{ "message": "Hello from Lambda!" }""";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(200, response.StatusCode);
        Assert.Equal([new("content-type", "application/json")], response.Headers);
        Assert.Equal(result, Text(response));
    }

    [Fact]
    public void A_JSON_string_is_sent_as_its_value()
    {
        // Arrange
        var result = "\"Hello from Lambda!\"";

        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(200, response.StatusCode);
        Assert.Equal([new("content-type", "application/json")], response.Headers);
        Assert.Equal("Hello from Lambda!", Text(response));
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("""{"statusCode":null,"body":"x"}""")]
    public void Any_other_JSON_value_is_the_body_with_200(string result)
    {
        // Act
        var response = Map(result);

        // Assert
        Assert.Equal(200, response.StatusCode);
        Assert.Equal([new("content-type", "application/json")], response.Headers);
        Assert.Equal(result, Text(response));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"statusCode\":200")]
    [InlineData("""{"statusCode":"200"}""")]
    [InlineData("""{"statusCode":99}""")]
    [InlineData("""{"statusCode":600}""")]
    [InlineData("""{"statusCode":200.5}""")]
    [InlineData("""{"statusCode":200,"headers":["a"]}""")]
    [InlineData("""{"statusCode":200,"headers":"x-a: 1"}""")]
    [InlineData("""{"statusCode":200,"headers":{"x-count":5}}""")]
    [InlineData("""{"statusCode":200,"headers":{"x-a":null}}""")]
    [InlineData("""{"statusCode":200,"headers":{"bad name":"1"}}""")]
    [InlineData("""{"statusCode":200,"headers":{"":"1"}}""")]
    [InlineData("""{"statusCode":200,"headers":{"x-a":"1\r\nx-b: 2"}}""")]
    [InlineData("""{"statusCode":200,"cookies":"a=1"}""")]
    [InlineData("""{"statusCode":200,"cookies":[1]}""")]
    [InlineData("""{"statusCode":200,"body":{"a":1}}""")]
    [InlineData("""{"statusCode":200,"body":5}""")]
    [InlineData("""{"statusCode":200,"body":"x","isBase64Encoded":"yes"}""")]
    [InlineData("""{"statusCode":200,"body":"not base64!","isBase64Encoded":true}""")]
    public void An_invalid_result_is_refused(string result)
    {
        // Act
        var error = Record.Exception(() => Map(result));

        // Assert
        Assert.IsType<InvalidFunctionResponseException>(error);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    private static GatewayResponse Map(string result) => ResponseMapper.ToResponse(Encoding.UTF8.GetBytes(result));

    private static string Text(GatewayResponse response) => Encoding.UTF8.GetString(response.Body);
}
