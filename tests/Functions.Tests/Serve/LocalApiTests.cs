using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Functions.Tests.Serve;

/// <summary>
/// The local API gateway over real HTTP on loopback, in front of the dummy function as real processes: the gateway's
/// answers to every way a function can fail, the event it builds, and the instance pool's warm/cold behaviour.
/// </summary>
public sealed class LocalApiTests : IAsyncLifetime
{
    private DummyApi _api = null!;

    public async Task InitializeAsync() => _api = await DummyApi.StartAsync(maxConcurrency: 3);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_function_receives_the_event_as_API_Gateway_builds_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dummy?b=2&a=1&a=3")
        {
            Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Custom", ["one", "two"]);
        request.Headers.Add("Cookie", "session=abc; theme=dark");

        using var response = await _api.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var sent = JsonDocument.Parse(body).RootElement;
        Assert.Equal("2.0", sent.GetProperty("version").GetString());
        Assert.Equal("POST /dummy", sent.GetProperty("routeKey").GetString());
        Assert.Equal("/dummy", sent.GetProperty("rawPath").GetString());
        Assert.Equal("b=2&a=1&a=3", sent.GetProperty("rawQueryString").GetString());
        Assert.Equal("1,3", sent.GetProperty("queryStringParameters").GetProperty("a").GetString());
        Assert.Equal("one, two", sent.GetProperty("headers").GetProperty("x-custom").GetString());
        Assert.Equal(["session=abc", "theme=dark"], sent.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("""{"action":"echo"}""", sent.GetProperty("body").GetString());
        Assert.False(sent.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("POST", sent.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
        Assert.Equal(response.Headers.GetValues("apigw-requestid").Single(), sent.GetProperty("requestContext").GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_result_with_status_headers_cookies_and_a_base64_body_becomes_that_HTTP_response()
    {
        var result = """{"statusCode":201,"headers":{"x-made":"yes"},"cookies":["a=1","b=2"],"body":"aGVsbG8=","isBase64Encoded":true}""";

        using var response = await _api.PostAsync("/dummy", $$"""{"action":"respond","response":{{result}}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-made").Single());
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("set-cookie"));
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_invalid_function_result_is_a_500()
    {
        using var response = await _api.PostAsync("/dummy", """{"action":"respond","response":{"statusCode":"teapot"}}""");

        await AssertGatewayMessageAsync(response, HttpStatusCode.InternalServerError, "Internal Server Error");
    }

    [Fact]
    public async Task A_function_error_is_a_500_and_the_instance_stays_warm()
    {
        using var failed = await _api.PostAsync("/dummy", """{"action":"throw"}""");
        var pid = _api.Dummy.ProcessIds.Single();

        using var next = await _api.PostAsync("/dummy", """{"action":"echo"}""");

        await AssertGatewayMessageAsync(failed, HttpStatusCode.InternalServerError, "Internal Server Error");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal([pid], _api.Dummy.ProcessIds);
        Assert.Contains("POST /dummy 200", _api.Output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"POST /dummy 200 \d+\.\d ms warm", _api.Output.ToString());
    }

    [Fact]
    public async Task A_function_that_runs_past_its_timeout_is_a_500()
    {
        using var response = await _api.PostAsync("/dummy", """{"action":"sleep","ms":3000}""");

        await AssertGatewayMessageAsync(response, HttpStatusCode.InternalServerError, "Internal Server Error");
        Assert.Contains("Task timed out after 2.00 seconds", _api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_outlives_the_integration_timeout_is_a_503()
    {
        var integrationTimeout = TimeSpan.FromSeconds(2);
        await using var api = await DummyApi.StartAsync(integrationTimeout: integrationTimeout);
        var watch = Stopwatch.StartNew();

        using var response = await api.PostAsync("/slow", """{"action":"sleep","ms":6000}""");

        await AssertGatewayMessageAsync(response, HttpStatusCode.ServiceUnavailable, "Service Unavailable");
        // The gateway's timer and this stopwatch are different clocks: a few ms of slack below the limit.
        Assert.InRange(watch.Elapsed, integrationTimeout - TimeSpan.FromMilliseconds(100), integrationTimeout + TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task An_instance_killed_mid_request_is_a_500_and_the_next_request_gets_a_new_instance()
    {
        var sleeping = _api.PostAsync("/dummy", """{"action":"sleep","ms":1500}""");
        var pid = await SingleProcessAsync();
        await Task.Delay(300); // Past init: the instance holds the event.

        Process.GetProcessById(pid).Kill();
        using var killed = await sleeping;
        using var next = await _api.PostAsync("/dummy", """{"action":"echo"}""");

        await AssertGatewayMessageAsync(killed, HttpStatusCode.InternalServerError, "Internal Server Error");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.DoesNotContain(pid, _api.Dummy.ProcessIds);
    }

    [Fact]
    public async Task A_function_that_exits_mid_invoke_is_a_500_and_the_next_request_succeeds()
    {
        using var crashed = await _api.PostAsync("/dummy", """{"action":"exit","code":3}""");
        using var next = await _api.PostAsync("/dummy", """{"action":"echo"}""");

        await AssertGatewayMessageAsync(crashed, HttpStatusCode.InternalServerError, "Internal Server Error");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Contains("Runtime.ExitError", _api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unmatched_route_is_API_Gateway_s_404()
    {
        using var response = await _api.Client.GetAsync("/nowhere");

        await AssertGatewayMessageAsync(response, HttpStatusCode.NotFound, "Not Found");
    }

    [Fact]
    public async Task A_body_over_10_MB_is_a_413_and_never_reaches_the_function()
    {
        var body = new ByteArrayContent(new byte[(10 * 1024 * 1024) + 1]);

        using var response = await _api.Client.PostAsync("/dummy", body);

        await AssertGatewayMessageAsync(response, HttpStatusCode.RequestEntityTooLarge, "Request Entity Too Large");
        Assert.Empty(_api.Dummy.ProcessIds);
    }

    [Fact]
    public async Task Sequential_requests_reuse_one_warm_instance()
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await _api.PostAsync("/dummy", """{"action":"echo"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(_api.Dummy.ProcessIds);
        var output = _api.Output.ToString();
        Assert.Single(output.Split('\n'), line => line.EndsWith(" cold", StringComparison.Ordinal));
        Assert.Equal(2, output.Split('\n').Count(line => line.EndsWith(" warm", StringComparison.Ordinal)));
        Assert.Single(output.Split('\n'), line => line.Contains("Init Duration:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_requests_start_instances_up_to_the_limit_then_queue()
    {
        var requests = Enumerable.Range(0, 6).Select(_ => _api.PostAsync("/dummy", """{"action":"sleep","ms":500}""")).ToList();

        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(3, _api.Dummy.ProcessIds.Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private async Task<int> SingleProcessAsync()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_api.Dummy.ProcessIds.Count == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }
        return _api.Dummy.ProcessIds.Single();
    }

    private static async Task AssertGatewayMessageAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.True(response.Headers.Contains("apigw-requestid"));
    }
}
