using System.Net;
using System.Text.Json;
using Functions.Tests.DynamoDb;
using Functions.Tools.Scheduling;
using Functions.Tools.WebConsole;

namespace Functions.Tests.WebConsole;

/// <summary>Opening a request of the traffic list through the console's API, on a real console server.</summary>
public sealed class ConsoleRequestTests : IAsyncLifetime
{
    private readonly ScratchFolder _scratch = new();
    private readonly TrafficFeed _traffic = new();
    private readonly HttpClient _client = new();
    private ConsoleServer _console = null!;

    public async Task InitializeAsync() =>
        _console = await ConsoleServer.StartAsync("127.0.0.1", 0, new NoFunctions(), new Repository(_scratch.Path), _traffic, CancellationToken.None);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _console.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_request_whose_id_holds_a_slash_opens_with_its_event_answer_and_log()
    {
        using var stop = new CancellationTokenSource();
        var listening = _traffic.ListenAsync(TimeSpan.FromMilliseconds(10), stop.Token).GetAsyncEnumerator();
        var next = listening.MoveNextAsync();
        await Eventually.WaitUntilAsync(() => _traffic.IsListened, TimeSpan.FromSeconds(5));
        _traffic.Publish(new TrafficEntry(DateTimeOffset.UtcNow, "GET", "/hello", 200, 1.5, "warm"),
            new RequestDetail("Ax/z+Q==", "Hello", """{"rawPath":"/hello"}""", 200, [new("apigw-requestid", "Ax/z+Q==")], """{"message":"hello"}""", "REPORT RequestId: r1\n"));
        await next;

        using var found = await _client.GetAsync(new Uri(_console.Address, "/api/request?id=" + Uri.EscapeDataString("Ax/z+Q==")));
        using var missing = await _client.GetAsync(new Uri(_console.Address, "/api/request?id=gone"));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        using var detail = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
        Assert.Equal(("Hello", 200, "REPORT RequestId: r1\n"), (detail.RootElement.GetProperty("function").GetString(), detail.RootElement.GetProperty("status").GetInt32(), detail.RootElement.GetProperty("log").GetString()));
        Assert.Equal("""{"rawPath":"/hello"}""", detail.RootElement.GetProperty("event").GetString());
        Assert.Equal(["apigw-requestid", "Ax/z+Q=="], detail.RootElement.GetProperty("headers")[0].EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("the last 100 requests", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await listening.MoveNextAsync());
        await listening.DisposeAsync();
    }

    private sealed class NoFunctions : IConsoleSource
    {
        public string Build => "aot";

        public IReadOnlyList<ConsoleFunction> ServedFunctions() => [];

        public FunctionPool? Pool(string function) => null;

        public Task<string?> GeneratedEventAsync(string function) => Task.FromResult<string?>(null);
    }
}
