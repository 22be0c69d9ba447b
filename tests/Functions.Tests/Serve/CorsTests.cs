using System.Net;
using System.Text;
using Functions.Tools.ApiGateway;
using Functions.Tools.Template;

namespace Functions.Tests.Serve;

/// <summary>
/// CORS as HTTP API applies the template's CorsConfiguration: a real preflight answered by the gateway
/// without a function, the headers on an allowed origin's responses, none for another origin. Real HTTP, the dummy
/// function as real processes.
/// </summary>
public sealed class CorsTests
{
    private static readonly CorsPolicy Policy = new(
        AllowOrigins: ["https://app.example.com"],
        AllowMethods: ["GET", "POST", "PUT", "DELETE"],
        AllowHeaders: ["content-type", "if-match"],
        ExposeHeaders: ["etag", "location"],
        MaxAgeSeconds: 600,
        AllowCredentials: false);

    [Fact]
    public async Task A_preflight_is_answered_by_the_gateway_without_running_a_function()
    {
        // Arrange
        await using var api = await DummyApi.StartAsync(cors: Policy);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/dummy");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        // Act
        using var response = await api.Client.SendAsync(preflight);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));
        Assert.Equal("GET,POST,PUT,DELETE", Header(response, "access-control-allow-methods"));
        Assert.Equal("content-type,if-match", Header(response, "access-control-allow-headers"));
        Assert.Equal("600", Header(response, "access-control-max-age"));
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allowed_origin_gets_the_headers_and_the_function_s_own_are_replaced()
    {
        // Arrange: the function answers with a CORS header of its own, which HTTP API ignores.
        await using var api = await DummyApi.StartAsync(cors: Policy);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dummy")
        {
            Content = new StringContent("""{"action":"respond","response":{"statusCode":200,"headers":{"access-control-allow-origin":"*"},"body":"ok"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "https://app.example.com");

        // Act
        using var response = await api.Client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));
        Assert.Equal("etag,location", Header(response, "access-control-expose-headers"));
    }

    [Fact]
    public async Task Another_origin_gets_no_CORS_headers()
    {
        await using var api = await DummyApi.StartAsync(cors: Policy);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dummy") { Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", "https://evil.example.net");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("access-control-allow-origin"));
    }

    [Fact]
    public void The_template_s_cors_configuration_is_read()
    {
        var template = CdkTemplate.Parse("""
            { "Resources": { "Api": { "Type": "AWS::ApiGatewayV2::Api", "Properties": { "CorsConfiguration": {
                "AllowOrigins": ["https://app.example.com"], "AllowMethods": ["GET"], "AllowHeaders": ["content-type"],
                "ExposeHeaders": ["etag"], "MaxAge": 300, "AllowCredentials": true } } } } }
            """);

        Assert.Equal(new[] { "https://app.example.com" }, template.Cors!.AllowOrigins);
        Assert.Equal(300, template.Cors.MaxAgeSeconds);
        Assert.True(template.Cors.AllowCredentials);
        Assert.Null(CdkTemplate.Parse("""{ "Resources": { "Api": { "Type": "AWS::ApiGatewayV2::Api", "Properties": {} } } }""").Cors);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "(none)";
}
