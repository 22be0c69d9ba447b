using System.Net;
using System.Text;
using Functions.Tests.Instances;
using Functions.Tools.ApiGateway;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Functions.Tools.Serve;
using Functions.Tools.Template;

namespace Functions.Tests.Serve;

/// <summary>
/// A failure of serve's own, wherever it happens while a request is handled, is still answered as HTTP API answers
/// its failures (500 {"message":"Internal Server Error"} with a request id) and logged, never Kestrel's empty 500.
/// </summary>
public sealed class UnexpectedFailureTests
{
    [Fact]
    public async Task An_exception_inside_serve_is_the_gateway_s_500_with_one_log_line_and_the_access_line()
    {
        // Arrange: a route whose availability check throws, as a bug anywhere in the gateway would
        await using var runtimeApi = await RuntimeApiServer.StartAsync();
        var output = new StringWriter();
        var log = new ServeLog(output);
        await using var pool = new FunctionPool(
            DummyFunctionHost.SpecFor("Dummy", TimeSpan.FromSeconds(2)), runtimeApi, new PoolSettings(1, TimeSpan.FromMinutes(1)), line => log.Function("Dummy", line));
        var state = new ApiState(RouteTable.Create([new TemplateRoute("POST /dummy", "DummyFn")]), new Dictionary<string, FunctionPool> { ["DummyFn"] = pool })
        {
            Unavailable = _ => throw new InvalidOperationException("a bug\nover two lines"),
        };
        await using var api = await LocalApi.StartAsync(new LocalApiOptions("127.0.0.1", 0, TimeSpan.FromSeconds(15)), state, log);
        using var client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(30) };

        // Act
        using var response = await client.PostAsync("/dummy?x=1", new StringContent("{}", Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"message":"Internal Server Error"}""", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("apigw-requestid"));
        await Eventually.WaitUntilAsync(() => output.ToString().Contains("POST /dummy?x=1 500 ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            ["[gateway] error: POST /dummy failed in serve, answered 500: InvalidOperationException: a bug over two lines"],
            lines.Where(l => l.StartsWith("[gateway]", StringComparison.Ordinal)));
    }
}
