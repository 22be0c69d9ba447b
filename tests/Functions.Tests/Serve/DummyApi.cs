using System.Net.Http.Headers;
using System.Text;
using Functions.Tests.Instances;
using Functions.Tools.ApiGateway;
using Functions.Tools.Instances;
using Functions.Tools.Invoke;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Functions.Tools.Serve;
using Functions.Tools.Template;

namespace Functions.Tests.Serve;

/// <summary>
/// The local API gateway on a free loopback port in front of the dummy function: POST /dummy runs it with a 2 s
/// timeout, POST /slow with a 30 s one (so a shortened integration timeout is what gives up first). Lambda's Invoke API
/// serves the same two functions as "Dummy" and "Slow" on a port of its own, sharing the gateway's in-flight bound, and
/// function URLs (<see cref="Urls"/>) are served on a third.
/// </summary>
internal sealed class DummyApi : IAsyncDisposable
{
    public static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Long enough for several JIT cold starts on a busy 2-core machine; the 503 test sets its own.</summary>
    public static readonly TimeSpan DefaultIntegrationTimeout = TimeSpan.FromSeconds(15);

    private readonly RuntimeApiServer _runtimeApi;
    private readonly LocalApi _api;
    private readonly InvokeApi _invoke;

    private DummyApi(RuntimeApiServer runtimeApi, FunctionPool dummy, FunctionPool slow, LocalApi api, InvokeApi invoke, StringWriter log)
    {
        _runtimeApi = runtimeApi;
        Dummy = dummy;
        Slow = slow;
        _api = api;
        _invoke = invoke;
        Output = log;
        Client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(30) };
        InvokeClient = new HttpClient { BaseAddress = invoke.Address, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var (name, value) in SigV4Headers)
        {
            InvokeClient.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>
    /// What AWS's SDKs add to sign a request (SigV4's Authorization and X-Amz-Date): serve's Invoke API requires them and
    /// checks their shape, not the signature (it cannot know the caller's secret), so a fixed pair stands for any.
    /// </summary>
    public static readonly (string Name, string Value)[] SigV4Headers =
    [
        ("Authorization", $"AWS4-HMAC-SHA256 Credential=local/20261205/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature={new string('0', 64)}"),
        ("X-Amz-Date", "20261205T120000Z"),
    ];

    /// <summary><see cref="SigV4Headers"/> as header lines of a raw request.</summary>
    public static string SigV4Lines => string.Concat(SigV4Headers.Select(h => $"{h.Name}: {h.Value}\r\n"));

    /// <summary>The open URLs' CORS: one origin, POST, the header the dummy's stream sets exposed.</summary>
    public static CorsPolicy UrlCors { get; } = new(["https://shop.example"], ["POST"], ["content-type"], ["x-export"], 600, AllowCredentials: false);

    /// <summary>
    /// The function URLs, on <see cref="UrlAddress"/>: Dummy's streams and is open, Slow's streams and takes signed
    /// requests only, Echo is Dummy's function behind a buffered open URL. Dummy's and Echo's take pages of
    /// <see cref="UrlCors"/>'s origin; Slow's has no CORS.
    /// </summary>
    public static FunctionUrls Urls { get; } = new([
        ("Dummy", new TemplateFunctionUrl("DummyFn", "NONE", "RESPONSE_STREAM") { Cors = UrlCors }),
        ("Slow", new TemplateFunctionUrl("SlowFn", "AWS_IAM", "RESPONSE_STREAM")),
        ("Echo", new TemplateFunctionUrl("DummyFn", "NONE", "BUFFERED") { Cors = UrlCors }),
    ]);

    /// <summary>Where the function URLs are served, each under its name.</summary>
    public Uri UrlAddress => _api.UrlAddress!;

    public FunctionPool Dummy { get; }
    public FunctionPool Slow { get; }
    public HttpClient Client { get; }

    /// <summary>A client of the Invoke API, at its address, its requests signed as an SDK signs them.</summary>
    public HttpClient InvokeClient { get; }

    /// <summary>Everything serve printed: function logs, START/END/REPORT, access lines.</summary>
    public StringWriter Output { get; }

    /// <summary>The builds serve still waits for: with <c>dummyStillBuilding</c>, Dummy's, until a test says it is built.</summary>
    public PendingBuilds? Pending { get; private init; }

    /// <param name="dummyStillBuilding">Dummy is served as a function still building: its requests wait for <see cref="Pending"/>.</param>
    /// <param name="bandwidth">How fast streamed responses reach their callers (default: as fast as they read).</param>
    /// <param name="traffic">Where the requests go for a console page, as serve's log passes them on; none by default.</param>
    public static async Task<DummyApi> StartAsync(int maxConcurrency = 10, TimeSpan? integrationTimeout = null, InFlightLimits? limits = null, CorsPolicy? cors = null, bool dummyStillBuilding = false, StreamBandwidth? bandwidth = null,
        Tools.WebConsole.TrafficFeed? traffic = null)
    {
        var runtimeApi = await RuntimeApiServer.StartAsync(bandwidth ?? StreamBandwidth.Unlimited);
        var output = new StringWriter();
        var log = new ServeLog(output) { Traffic = traffic };
        var settings = new PoolSettings(maxConcurrency, TimeSpan.FromMinutes(1));
        var dummy = new FunctionPool(DummyFunctionHost.SpecFor("Dummy", FunctionTimeout), runtimeApi, settings, line => log.Function("Dummy", line));
        var slow = new FunctionPool(DummyFunctionHost.SpecFor("Slow", TimeSpan.FromSeconds(30)), runtimeApi, settings, line => log.Function("Slow", line));
        var routes = RouteTable.Create([new TemplateRoute("POST /dummy", "DummyFn"), new TemplateRoute("POST /things/{id}", "DummyFn"), new TemplateRoute("POST /slow", "SlowFn")]);
        var pools = new Dictionary<string, FunctionPool> { ["DummyFn"] = dummy, ["SlowFn"] = slow };
        var byName = new Dictionary<string, FunctionPool> { ["Dummy"] = dummy, ["Slow"] = slow };
        var pending = dummyStillBuilding ? new PendingBuilds() : null;
        if (pending is not null)
        {
            pending.Expect("DummyFn", "Dummy");
            pools.Remove("DummyFn");
            byName.Remove("Dummy");
        }
        var options = new LocalApiOptions("127.0.0.1", 0, integrationTimeout ?? DefaultIntegrationTimeout) { Limits = limits ?? InFlightLimits.Default, UrlPort = 0 };
        var api = await LocalApi.StartAsync(options, new ApiState(routes, pools) { Cors = cors, Building = pending, Urls = Urls }, log);
        var invoke = await InvokeApi.StartAsync("127.0.0.1", 0, byName, log, api.Budget);
        if (pending is not null)
        {
            invoke.Use(byName, new HashSet<string> { "Dummy", "DummyFn" });
        }
        return new DummyApi(runtimeApi, dummy, slow, api, invoke, output) { Pending = pending };
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Client.PostAsync(path, content);
    }

    /// <summary>POST /2015-03-31/functions/{name}/invocations with <paramref name="payload"/> and the headers given.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string name, string payload, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/2015-03-31/functions/{name}/invocations") { Content = new StringContent(payload, Encoding.UTF8) };
        foreach (var (header, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        return InvokeClient.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        InvokeClient.Dispose();
        await _invoke.DisposeAsync();
        await _api.DisposeAsync();
        await Dummy.DisposeAsync();
        await Slow.DisposeAsync();
        await _runtimeApi.DisposeAsync();
    }
}
