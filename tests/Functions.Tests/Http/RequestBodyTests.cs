using System.Text;
using Functions.Errors;
using Functions.Http;

namespace Functions.Tests.Http;

public sealed class RequestBodyTests
{
    [Fact]
    public void A_json_body_is_read_as_its_utf8_bytes()
    {
        // Arrange
        var request = TestRequests.Json("""{"name":"é"}""");

        // Act
        var body = RequestBody.ReadJson(request);

        // Assert
        Assert.Equal("""{"name":"é"}""", Encoding.UTF8.GetString(body.Span));
    }

    [Fact]
    public void A_body_without_a_content_type_is_refused_with_415()
    {
        var request = TestRequests.Json("{}", contentType: null);

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(request));

        Assert.Equal(415, error.Status);
        Assert.Contains("no content-type", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/jsonp")]
    [InlineData("application/problem+json")]
    public void A_body_of_another_content_type_is_refused_with_415(string contentType)
    {
        var request = TestRequests.Json("{}", contentType);

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(request));

        Assert.Equal(415, error.Status);
        Assert.Contains(contentType, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("Application/JSON")]
    [InlineData(" application/json ")]
    public void A_json_content_type_with_parameters_or_other_case_is_accepted(string contentType)
    {
        var request = TestRequests.Json("{}", contentType);

        var body = RequestBody.ReadJson(request);

        Assert.Equal(2, body.Length);
    }

    [Fact]
    public void A_body_of_exactly_64_KB_is_accepted()
    {
        var request = TestRequests.Json(new string('x', RequestBody.MaxJsonBytes));

        var body = RequestBody.ReadJson(request);

        Assert.Equal(RequestBody.MaxJsonBytes, body.Length);
    }

    [Fact]
    public void A_body_over_64_KB_is_refused_with_413()
    {
        var request = TestRequests.Json(new string('x', RequestBody.MaxJsonBytes + 1));

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(request));

        Assert.Equal(413, error.Status);
    }

    [Fact]
    public void The_limit_counts_utf8_bytes_not_characters()
    {
        // 40,000 characters of two bytes each: under the limit in characters, over it in bytes.
        var request = TestRequests.Json(new string('é', 40_000));

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(request));

        Assert.Equal(413, error.Status);
    }

    [Fact]
    public void A_base64_encoded_body_is_decoded()
    {
        var json = """{"name":"cup","price":1}""";
        var request = TestRequests.Json(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), base64: true);

        var body = RequestBody.ReadJson(request);

        Assert.Equal(json, Encoding.UTF8.GetString(body.Span));
    }

    [Fact]
    public void The_limit_applies_to_the_decoded_body()
    {
        var over = Convert.ToBase64String(new byte[RequestBody.MaxJsonBytes + 1]);
        var under = Convert.ToBase64String(new byte[RequestBody.MaxJsonBytes]);

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(TestRequests.Json(over, base64: true)));
        var body = RequestBody.ReadJson(TestRequests.Json(under, base64: true));

        Assert.Equal(413, error.Status);
        Assert.Equal(RequestBody.MaxJsonBytes, body.Length);
    }

    [Fact]
    public void A_body_marked_base64_that_is_not_base64_is_refused_with_400()
    {
        var request = TestRequests.Json("{not base64!}", base64: true);

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(request));

        Assert.Equal(400, error.Status);
        Assert.NotNull(error.Errors);
        Assert.Contains("body", error.Errors.Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_body_is_refused_with_400(string? body)
    {
        var request = TestRequests.Json(body);

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(request));

        Assert.Equal(400, error.Status);
        Assert.NotNull(error.Errors);
        Assert.Equal(["is required: a JSON object"], error.Errors["body"]);
    }

    [Fact]
    public void The_content_type_is_checked_before_the_size()
    {
        var request = TestRequests.Json(new string('x', RequestBody.MaxJsonBytes + 1), "text/plain");

        var error = Assert.Throws<ApiError>(() => RequestBody.ReadJson(request));

        Assert.Equal(415, error.Status);
    }
}
