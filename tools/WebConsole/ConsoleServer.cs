using System.Buffers;
using System.Text;
using System.Text.Json;
using Functions.Tools.Hosting;
using Functions.Tools.Invoke;
using Functions.Tools.RuntimeApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.WebConsole;

/// <summary>
/// The console ./fn serve hosts on a loopback port of its own: a page (wwwroot, embedded in the tool: nothing to build,
/// nothing fetched) and the little API it reads: the functions and their pools, each function's sample events, an
/// invocation through the same pools as the API and the Invoke API (with its log and REPORT line), and serve's traffic
/// as server-sent events. Every request passes <see cref="ConsoleGuard"/> first.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ConsoleServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <exception cref="UserError">The port cannot be had.</exception>
    /// <exception cref="UsageError">The host is neither an IP address nor localhost.</exception>
    public static async Task<ConsoleServer> StartAsync(string host, int port, IConsoleSource source, Repository repository, TrafficFeed traffic, CancellationToken cancellationToken)
    {
        var app = LoopbackWebApp.Create(kestrel =>
        {
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(port);
            }
            else
            {
                kestrel.Listen(System.Net.IPAddress.TryParse(host, out var address) ? address : throw new UsageError($"--console-host {host} is not an IP address or localhost."), port);
            }
        });
        app.Use(async (http, next) =>
        {
            if (ConsoleGuard.Refusal(http.Request) is { } refusal)
            {
                await ProblemAsync(http, 403, "Refused", refusal).ConfigureAwait(false);
                return;
            }
            await next(http).ConfigureAwait(false);
        });
        app.MapGet("/", http => PageAsync(http, "index.html", "text/html; charset=utf-8"));
        app.MapGet("/console.js", http => PageAsync(http, "console.js", "text/javascript; charset=utf-8"));
        app.MapGet("/console.css", http => PageAsync(http, "console.css", "text/css; charset=utf-8"));
        app.MapGet("/api/functions", http => FunctionsAsync(http, source));
        app.MapGet("/api/functions/{name}/events", (HttpContext http, string name) => EventsAsync(http, source, repository, name));
        app.MapPost("/api/functions/{name}/invoke", (HttpContext http, string name) => InvokeAsync(http, source, name));
        app.MapPost("/api/functions/{name}/events", (HttpContext http, string name) => SaveEventAsync(http, source, repository, name));
        app.MapGet("/api/traffic", http => TrafficAsync(http, traffic));
        // The id in the query: HTTP API's request ids are base64 and may hold a '/', which a path segment keeps escaped.
        app.MapGet("/api/request", http => RequestAsync(http, traffic, http.Request.Query["id"].ToString()));
        app.MapGet("/api/figures", http => FiguresAsync(http, repository));
        app.MapGet("/figures/{kind}.svg", (HttpContext http, string kind) => ChartAsync(http, repository, kind));
        app.MapFallback(http => ProblemAsync(http, 404, "Not found", "The console has no such page."));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UserError($"Cannot listen on {host}:{port} for the console: {e.Message.TrimEnd('.')}. Pick another port with --console-port, or serve none with --no-console.", inner: e);
        }
        return new ConsoleServer(app, app.ListeningAddress());
    }

    public async ValueTask DisposeAsync()
    {
        // A page's traffic stream stays open until the page goes: stopping does not wait for it.
        using var now = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await _app.StopAsync(now.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task PageAsync(HttpContext http, string file, string contentType)
    {
        await using var page = typeof(ConsoleServer).Assembly.GetManifestResourceStream("console/" + file)
            ?? throw new InvalidOperationException($"The tool was built without its console page {file}.");
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-store";
        await page.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
    }

    private static Task FunctionsAsync(HttpContext http, IConsoleSource source) => JsonAsync(http, 200, json =>
    {
        json.WriteStartObject();
        json.WriteString("build", source.Build);
        json.WriteStartArray("functions");
        foreach (var function in source.ServedFunctions())
        {
            ConsoleJson.WriteFunction(json, function);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>
    /// events/&lt;function-kebab&gt;.json and its cases (&lt;kebab&gt;.&lt;case&gt;.json), the plain sample first, and an
    /// event made from the function's declaration.
    /// </summary>
    private static async Task EventsAsync(HttpContext http, IConsoleSource source, Repository repository, string name)
    {
        if (!source.ServedFunctions().Any(f => f.Name == name))
        {
            await ProblemAsync(http, 404, "No such function", $"serve has no function {ShownText.Of(name, 100)}.").ConfigureAwait(false);
            return;
        }
        var generated = await source.GeneratedEventAsync(name).ConfigureAwait(false);
        var kebab = Repository.EventName(name);
        var files = Directory.Exists(repository.Events)
            ? Directory.GetFiles(repository.Events, "*.json")
                .Select(Path.GetFileName).OfType<string>()
                .Where(f => f == kebab + ".json" || f.StartsWith(kebab + ".", StringComparison.Ordinal))
                .OrderBy(f => f == kebab + ".json" ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal)
                .ToList()
            : [];
        await JsonAsync(http, 200, json =>
        {
            json.WriteStartObject();
            json.WriteString("generated", generated);
            json.WriteStartArray("events");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("file", file);
                json.WriteString("text", File.ReadAllText(Path.Combine(repository.Events, file)));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves an edited event as events/&lt;function-kebab&gt;.&lt;case&gt;.json, by the same naming rules as the samples;
    /// refused, with what to do, for a name outside them, a text that is not a JSON object, or a file that exists.
    /// </summary>
    private static async Task SaveEventAsync(HttpContext http, IConsoleSource source, Repository repository, string name)
    {
        if (!source.ServedFunctions().Any(f => f.Name == name))
        {
            await ProblemAsync(http, 404, "No such function", $"serve has no function {ShownText.Of(name, 100)}.").ConfigureAwait(false);
            return;
        }
        var body = await CappedBody.ReadAsync(http.Request.Body, RuntimeApiServer.MaxEventBytes * 2, http.Request.ContentLength, http.RequestAborted).ConfigureAwait(false);
        if (SavedEvent.Read(body, Repository.EventName(name)) is not { File: { } file, Text: { } text })
        {
            await ProblemAsync(http, 400, "Not saved", SavedEvent.Why(body, Repository.EventName(name))).ConfigureAwait(false);
            return;
        }
        Directory.CreateDirectory(repository.Events);
        try
        {
            await using var created = new FileStream(Path.Combine(repository.Events, file), FileMode.CreateNew, FileAccess.Write);
            await created.WriteAsync(Encoding.UTF8.GetBytes(text), http.RequestAborted).ConfigureAwait(false);
        }
        catch (IOException) when (File.Exists(Path.Combine(repository.Events, file)))
        {
            await ProblemAsync(http, 409, "Not saved", $"events/{file} already exists: choose another name (the console never overwrites an event).").ConfigureAwait(false);
            return;
        }
        await JsonAsync(http, 201, json =>
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the event the page sends on the function's pool, as the API and the Invoke API run theirs, and answers the
    /// outcome, the invocation's log lines and its REPORT line.
    /// </summary>
    private static async Task InvokeAsync(HttpContext http, IConsoleSource source, string name)
    {
        if (source.Pool(name) is not { } pool)
        {
            var known = source.ServedFunctions().Any(f => f.Name == name);
            await ProblemAsync(http, known ? 503 : 404, known ? "Still building" : "No such function",
                known ? $"{name} is still building: invoke it when serve says it is served." : $"serve has no function {ShownText.Of(name, 100)}.").ConfigureAwait(false);
            return;
        }
        var payload = await CappedBody.ReadAsync(http.Request.Body, RuntimeApiServer.MaxEventBytes, http.Request.ContentLength, http.RequestAborted).ConfigureAwait(false);
        if (payload is null)
        {
            await ProblemAsync(http, 413, "Event too large", RuntimeApiServer.EventTooLarge).ConfigureAwait(false);
            return;
        }
        var tail = new LogTail();
        var report = await pool.InvokeAsync(payload, http.RequestAborted, new CallerContext(TraceHeader.NewRoot()) { Tail = tail }).ConfigureAwait(false);
        await JsonAsync(http, 200, json => ConsoleJson.WriteInvocation(json, report, StreamedPayload.Printable(report.Outcome), tail.ToString())).ConfigureAwait(false);
    }

    /// <summary>
    /// The latest `fn bench` and `fn tune` runs in their default folders (artifacts/bench, artifacts/tune): for each, the
    /// command that made it, when and where it ran, its tables (the markdown it wrote) and where its chart is.
    /// </summary>
    private static Task FiguresAsync(HttpContext http, Repository repository) => JsonAsync(http, 200, json =>
    {
        json.WriteStartObject();
        foreach (var kind in Figures.Kinds)
        {
            if (Figures.Latest(repository, kind) is not { } run)
            {
                json.WriteNull(kind);
                continue;
            }
            json.WriteStartObject(kind);
            json.WriteString("command", run.Command);
            json.WriteString("startedAt", run.StartedAt);
            json.WriteString("machine", run.Machine);
            json.WriteString("tables", run.Markdown);
            json.WriteString("chart", run.HasChart ? $"/figures/{kind}.svg" : null);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    });

    private static async Task ChartAsync(HttpContext http, Repository repository, string kind)
    {
        if (!Figures.Kinds.Contains(kind) || !File.Exists(Figures.ChartPath(repository, kind)))
        {
            await ProblemAsync(http, 404, "No chart", $"No {ShownText.Of(kind, 20)} chart yet: run fn {(Figures.Kinds.Contains(kind) ? kind : "bench")} first.").ConfigureAwait(false);
            return;
        }
        http.Response.ContentType = "image/svg+xml";
        http.Response.Headers.CacheControl = "no-store";
        // An SVG opened on its own is a document of the console's origin: nothing in it may run.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        await http.Response.SendFileAsync(Figures.ChartPath(repository, kind), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>One request of the traffic list opened: its event, its answer, its log; 404 once it is no longer kept.</summary>
    private static async Task RequestAsync(HttpContext http, TrafficFeed traffic, string requestId)
    {
        if (traffic.Details.Find(requestId) is not { } detail)
        {
            await ProblemAsync(http, 404, "Not kept", $"The console keeps the last {RequestDetails.Kept} requests, made while a page was open: {ShownText.Of(requestId, 60)} is not among them.").ConfigureAwait(false);
            return;
        }
        await JsonAsync(http, 200, json => ConsoleJson.WriteRequest(json, detail)).ConfigureAwait(false);
    }

    /// <summary>Server-sent events, each a JSON array of the requests serve answered in a quarter of a second, until the page goes away.</summary>
    private static async Task TrafficAsync(HttpContext http, TrafficFeed traffic)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(": traffic\n\n", http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>(512);
        try
        {
            await foreach (var batch in traffic.ListenAsync(TimeSpan.FromMilliseconds(250), http.RequestAborted).ConfigureAwait(false))
            {
                buffer.ResetWrittenCount();
                buffer.Write("data: "u8);
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartArray();
                    foreach (var entry in batch)
                    {
                        ConsoleJson.WriteTraffic(json, entry);
                    }
                    json.WriteEndArray();
                }
                buffer.Write("\n\n"u8);
                await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static Task ProblemAsync(HttpContext http, int status, string title, string detail) => JsonAsync(http, status, json =>
    {
        json.WriteStartObject();
        json.WriteString("title", title);
        json.WriteNumber("status", status);
        json.WriteString("detail", detail);
        json.WriteEndObject();
    }, "application/problem+json");

    private static async Task JsonAsync(HttpContext http, int status, Action<Utf8JsonWriter> write, string contentType = "application/json")
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }
}
