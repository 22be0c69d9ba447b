using System.Net;
using System.Text;
using Functions.Tools.ApiGateway;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Functions.Tests.ApiGateway;

/// <summary>Reading an ASP.NET Core request into the plain value the event is built from.</summary>
public sealed class GatewayRequestTests
{
    [Fact]
    public async Task The_raw_target_headers_body_and_client_are_read()
    {
        // Arrange
        var http = Http("POST", "/items/a%2Fb?tag=x&tag=y%20z", "{\"a\":1}");
        http.Request.Headers.Append("X-Tag", "one");
        http.Request.Headers.Append("X-Tag", "two");
        http.Request.ContentType = "application/json";
        http.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:10.0.0.7");

        // Act
        var request = await GatewayRequest.FromHttpRequestAsync(http.Request, GatewayLimits.MaxRequestBodyBytes, CancellationToken.None);

        // Assert
        Assert.Equal("POST", request.Method);
        Assert.Equal("/items/a%2Fb", request.RawPath);
        Assert.Equal("tag=x&tag=y%20z", request.RawQueryString);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(request.Body.Span));
        Assert.Equal(["one", "two"], request.Headers.Where(h => h.Key == "X-Tag").Select(h => h.Value));
        Assert.Equal("application/json", request.Header("content-type"));
        Assert.Equal("10.0.0.7", request.SourceIp);
        Assert.Equal("HTTP/1.1", request.Protocol);
        Assert.Equal("127.0.0.1:3000", request.Host);
        Assert.Equal("http", request.Scheme);
    }

    [Fact]
    public async Task Without_a_raw_target_the_path_and_query_are_rebuilt()
    {
        // Arrange
        var http = Http("GET", null, "");
        http.Request.Path = "/items/a b";
        http.Request.QueryString = new QueryString("?limit=5");

        // Act
        var request = await GatewayRequest.FromHttpRequestAsync(http.Request, GatewayLimits.MaxRequestBodyBytes, CancellationToken.None);

        // Assert
        Assert.Equal("/items/a%20b", request.RawPath);
        Assert.Equal("limit=5", request.RawQueryString);
        Assert.True(request.Body.IsEmpty);
    }

    [Fact]
    public async Task A_declared_body_over_the_limit_is_refused_unread()
    {
        // Arrange
        var http = Http("POST", "/upload", "");
        http.Request.ContentLength = 11;

        // Act
        var error = await Record.ExceptionAsync(() => GatewayRequest.FromHttpRequestAsync(http.Request, 10, CancellationToken.None));

        // Assert
        Assert.IsType<PayloadTooLargeException>(error);
        Assert.Equal(10, ((PayloadTooLargeException)error).MaxBodyBytes);
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_refused()
    {
        // Arrange: no Content-Length, as with a chunked upload.
        var http = Http("POST", "/upload", new string('x', 11));

        // Act
        var error = await Record.ExceptionAsync(() => GatewayRequest.FromHttpRequestAsync(http.Request, 10, CancellationToken.None));

        // Assert
        Assert.IsType<PayloadTooLargeException>(error);
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_accepted()
    {
        // Arrange
        var http = Http("POST", "/upload", new string('x', 10));

        // Act
        var request = await GatewayRequest.FromHttpRequestAsync(http.Request, 10, CancellationToken.None);

        // Assert
        Assert.Equal(10, request.Body.Length);
    }

    [Fact]
    public void The_limits_are_HTTP_APIs_quotas()
    {
        // Assert
        Assert.Equal(10 * 1024 * 1024, GatewayLimits.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), GatewayLimits.IntegrationTimeout);
    }

    private static DefaultHttpContext Http(string method, string? rawTarget, string body)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Protocol = "HTTP/1.1";
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1:3000");
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        if (rawTarget is not null)
        {
            http.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        }
        return http;
    }
}
