using System.Text;
using System.Text.Json;
using Functions.Tools.ApiGateway;
using Microsoft.AspNetCore.Http;

namespace Functions.Tests.ApiGateway;

/// <summary>The gateway's own answers and how any response is written to the client.</summary>
public sealed class GatewayResponseTests
{
    private const string RequestId = "JTHoQgzXoAMEJWA=";

    public static TheoryData<Func<string, GatewayResponse>, int, string> Errors => new()
    {
        { GatewayErrors.NotFound, 404, "Not Found" },
        { GatewayErrors.InternalServerError, 500, "Internal Server Error" },
        { GatewayErrors.ServiceUnavailable, 503, "Service Unavailable" },
        { GatewayErrors.PayloadTooLarge, 413, "Request Entity Too Large" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_gateway_error_has_the_AWS_body_and_the_request_id(Func<string, GatewayResponse> error, int status, string message)
    {
        // Act
        var response = error(RequestId);

        // Assert
        Assert.Equal(status, response.StatusCode);
        Assert.Equal([new("content-type", "application/json"), new("apigw-requestid", RequestId)], response.Headers);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal(message, body.RootElement.GetProperty("message").GetString());
        Assert.Single(body.RootElement.EnumerateObject());
    }

    [Fact]
    public void WithRequestId_adds_the_header_once()
    {
        // Arrange
        var response = new GatewayResponse(200, [new("Apigw-Requestid", "old"), new("x-a", "1")], []);

        // Act
        var stamped = response.WithRequestId(RequestId);

        // Assert
        Assert.Equal([new("x-a", "1"), new("apigw-requestid", RequestId)], stamped.Headers);
        Assert.Equal(2, response.Headers.Count);
    }

    [Fact]
    public async Task WriteToAsync_sends_status_headers_and_body()
    {
        // Arrange
        var response = new GatewayResponse(
            201,
            [new("content-type", "application/json"), new("set-cookie", "a=1"), new("set-cookie", "b=2")],
            Encoding.UTF8.GetBytes("""{"id":"1"}"""));
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;

        // Act
        await response.WriteToAsync(http.Response, CancellationToken.None);

        // Assert
        Assert.Equal(201, http.Response.StatusCode);
        Assert.Equal("application/json", http.Response.ContentType);
        Assert.Equal(["a=1", "b=2"], http.Response.Headers.SetCookie.Select(v => v ?? ""));
        Assert.Equal(10, http.Response.ContentLength);
        Assert.Equal("""{"id":"1"}""", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteToAsync_sets_the_real_length_over_a_function_content_length()
    {
        // Arrange
        var response = new GatewayResponse(200, [new("Content-Length", "999"), new("Transfer-Encoding", "chunked")], [1, 2, 3]);
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;

        // Act
        await response.WriteToAsync(http.Response, CancellationToken.None);

        // Assert
        Assert.Equal(3, http.Response.ContentLength);
        Assert.False(http.Response.Headers.ContainsKey("Transfer-Encoding"));
        Assert.Equal([1, 2, 3], body.ToArray());
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    public async Task WriteToAsync_sends_no_body_where_HTTP_allows_none(int status)
    {
        // Arrange
        var response = new GatewayResponse(status, [new("etag", "\"1\"")], Encoding.UTF8.GetBytes("ignored"));
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;

        // Act
        await response.WriteToAsync(http.Response, CancellationToken.None);

        // Assert
        Assert.Equal(status, http.Response.StatusCode);
        Assert.Equal("\"1\"", http.Response.Headers.ETag.ToString());
        Assert.Null(http.Response.ContentLength);
        Assert.Equal(0, body.Length);
    }
}
