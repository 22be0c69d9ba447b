using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Serve;

/// <summary>
/// Where ./fn serve once differed from HTTP API in front of Lambda: the path as the function sees it,
/// encoded slashes, events over Lambda's limit, the trace header. Real HTTP, the dummy function as real processes.
/// </summary>
public sealed class GatewayFidelityTests : IAsyncLifetime
{
    private DummyApi _api = null!;

    public async Task InitializeAsync() => _api = await DummyApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_function_gets_the_path_and_its_parameter_decoded()
    {
        using var response = await _api.PostAsync("/things/abc%20d%C3%A9f", """{"action":"echo"}""");

        var sent = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("/things/abc déf", sent.GetProperty("rawPath").GetString());
        Assert.Equal("/things/abc déf", sent.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
        Assert.Equal("abc déf", sent.GetProperty("pathParameters").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_path_with_an_encoded_slash_reaches_no_function()
    {
        using var response = await _api.PostAsync("/things/a%2Fb", """{"action":"echo"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"Not Found"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_event_over_Lambdas_limit_is_refused_before_the_function_runs()
    {
        // 7 MB of body: under the gateway's 10 MB, over Lambda's 6 MB event.
        var body = $$"""{"action":"echo","pad":"{{new string('x', 7 * 1024 * 1024)}}"}""";

        using var response = await _api.PostAsync("/dummy", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"message":"Request Entity Too Large"}""", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("START RequestId", _api.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Request must be smaller than {RuntimeApiServer.MaxEventBytes} bytes", _api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_event_carries_a_trace_header_whose_root_the_function_runs_under()
    {
        var root = "Root=1-6b01ea30-ffd8e40137e5a4de8c1c4e81";
        using var echo = new HttpRequestMessage(HttpMethod.Post, "/dummy") { Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json") };
        using var env = new HttpRequestMessage(HttpMethod.Post, "/dummy") { Content = new StringContent("""{"action":"env"}""", Encoding.UTF8, "application/json") };
        env.Headers.Add("X-Amzn-Trace-Id", root);

        using var echoed = await _api.Client.SendAsync(echo);
        using var seen = await _api.Client.SendAsync(env);

        var headers = JsonDocument.Parse(await echoed.Content.ReadAsStringAsync()).RootElement.GetProperty("headers");
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", headers.GetProperty("x-amzn-trace-id").GetString());
        var traceId = JsonDocument.Parse(await seen.Content.ReadAsStringAsync()).RootElement.GetProperty("traceId").GetString();
        Assert.Matches($"^{Regex.Escape(root)};Parent=[0-9a-f]{{16}};Sampled=0$", traceId);
    }
}
