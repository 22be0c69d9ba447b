using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Functions.Runtime;
using Functions.Tools.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.RuntimeApi;

/// <summary>
/// The Lambda Runtime API 2018-06-01 on 127.0.0.1. Each function instance gets an endpoint of its own
/// (<see cref="OpenEndpointAsync"/>): Lambda defines AWS_LAMBDA_RUNTIME_API as host and port only, and a client that
/// parses it so (AWS's own, on its response-streaming path) hangs on "host:port/prefix". The main listener also
/// serves the bare path and per-channel prefixes (/{channel}/2018-06-01/...), which the tests' in-process loops use.
/// </summary>
public sealed class RuntimeApiServer : IAsyncDisposable
{
    /// <summary>
    /// Lambda's limit for a synchronous response, "6 MB": 6 MiB and 100 bytes as Lambda and AWS's Runtime Interface
    /// Emulator enforce it (Function.ResponseSizeTooLarge names 6291556 bytes).
    /// </summary>
    public const int MaxPayloadBytes = 6 * 1024 * 1024 + 100;

    /// <summary>
    /// Lambda's limit for a synchronous event: the Invoke API refuses larger ones before any function runs
    /// (RequestEntityTooLargeException: "Request must be smaller than 6291456 bytes for the InvokeFunction operation").
    /// </summary>
    public const int MaxEventBytes = 6 * 1024 * 1024;

    /// <summary>Lambda's limit for a streamed response: 200 MB (20 MB until July 2025).</summary>
    public const long MaxStreamedBytes = 200L * 1024 * 1024;

    /// <summary>What the Invoke API says of an event over <see cref="MaxEventBytes"/>.</summary>
    public static string EventTooLarge => $"Request must be smaller than {MaxEventBytes} bytes for the InvokeFunction operation";

    public const string BareChannel = "$bare";
    private const string Prefix = "/2018-06-01/runtime";
    private const string ChannelItem = "fn.channel";

    private static readonly HttpClient EndpointWarmer = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RuntimeChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingInvocation> _inFlight = new(StringComparer.Ordinal);
    // Ids only, so a late second answer gets 403 rather than 400 without keeping payloads alive.
    private readonly AnsweredIds _answered = new();

    private RuntimeApiServer(WebApplication app, StreamBandwidth bandwidth)
    {
        _app = app;
        Bandwidth = bandwidth;
    }

    /// <summary>How fast streamed responses reach their callers.</summary>
    public StreamBandwidth Bandwidth { get; }

    /// <summary>host:port of the server, for AWS_LAMBDA_RUNTIME_API of a function on the bare path.</summary>
    public string HostAndPort { get; private set; } = "";

    public static async Task<RuntimeApiServer> StartAsync(CancellationToken cancellationToken = default) =>
        await StartAsync(StreamBandwidth.Unlimited, cancellationToken).ConfigureAwait(false);

    public static async Task<RuntimeApiServer> StartAsync(StreamBandwidth bandwidth, CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebApp.Create(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var server = new RuntimeApiServer(app, bandwidth);
        server.MapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        server.HostAndPort = app.ListeningAddress().Authority;
        await server.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>
    /// Runs one invocation and one init error through the server itself. The tool runs on the JIT: without this, the
    /// first function's Init Duration would include ~100 ms of compiling Kestrel's request path, not the function's init.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        const string channel = "$warmup";
        // An id of its own, so no id a caller could send is taken for one already answered.
        var requestId = $"warmup-{Guid.NewGuid():N}";
        var invocation = new PendingInvocation(requestId, "{}"u8.ToArray(), TimeSpan.FromSeconds(3), "arn:aws:lambda:us-east-1:123456789012:function:warmup", "Root=1-0-0");
        Channel(channel).Enqueue(invocation);
        using var client = new HttpClient { BaseAddress = new Uri($"http://{RuntimeApiFor(channel)}/2018-06-01/runtime/") };
        using (var next = await client.GetAsync("invocation/next", cancellationToken).ConfigureAwait(false))
        {
            await next.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        using (await client.PostAsync($"invocation/{requestId}/response", new ByteArrayContent("{}"u8.ToArray()), cancellationToken).ConfigureAwait(false))
        {
        }
        using (await client.PostAsync("init/error", new ByteArrayContent("{}"u8.ToArray()), cancellationToken).ConfigureAwait(false))
        {
        }
        Forget(channel);
    }

    /// <summary>The main listener plus a channel's prefix, for in-process runtime loops in tests.</summary>
    public string RuntimeApiFor(string channel) => $"{HostAndPort}/{Uri.EscapeDataString(channel)}";

    /// <summary>
    /// A listener of its own on 127.0.0.1 for one channel, at the bare /2018-06-01 path: its host:port is the
    /// instance's AWS_LAMBDA_RUNTIME_API, exactly as Lambda's. It shares this server's invocations and state.
    /// </summary>
    public async Task<RuntimeApiEndpoint> OpenEndpointAsync(string channel, CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebApp.Create(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        app.Use((http, next) =>
        {
            http.Items[ChannelItem] = channel;
            return next(http);
        });
        MapRoutes(app, [Prefix]);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var hostAndPort = app.ListeningAddress().Authority;
        // A new app builds its routing tables on its first request: done here, or ~5 ms of it would count as the
        // function's Init Duration (measured: Hello's init p50 15.6 ms without this, against ~10 ms on one listener).
        using (await EndpointWarmer.GetAsync($"http://{hostAndPort}{Prefix}/warm-up", cancellationToken).ConfigureAwait(false))
        {
        }
        return new RuntimeApiEndpoint(app, hostAndPort);
    }

    public RuntimeChannel Channel(string name) => _channels.GetOrAdd(name, n => new RuntimeChannel(n));

    public void Forget(string name) => _channels.TryRemove(name, out _);

    /// <summary>Ends an invocation from outside the function (timeout, crash); the function can no longer answer it.</summary>
    public bool Fail(PendingInvocation invocation, string errorType, string message)
    {
        Retire(invocation);
        return invocation.TryComplete(InvocationOutcome.Error(errorType, ErrorBody(errorType, message), DateTimeOffset.UtcNow));
    }

    /// <summary>What Lambda tells the caller of a function whose response is over the limit.</summary>
    public static string ResponseTooLarge(long bytes) =>
        $"Response payload size ({bytes} bytes) exceeded maximum allowed payload size ({MaxPayloadBytes} bytes).";

    public static byte[] ErrorBody(string errorType, string message) => Encoding.UTF8.GetBytes(
        $"{{\"errorType\":{Quote(errorType)},\"errorMessage\":{Quote(message)}}}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void MapRoutes(WebApplication app) => MapRoutes(app, [Prefix, "/{channel}" + Prefix]);

    private void MapRoutes(WebApplication app, string[] roots)
    {
        foreach (var root in roots)
        {
            app.MapGet(root + "/invocation/next", NextAsync);
            app.MapPost(root + "/invocation/{requestId}/response", ResponseAsync);
            app.MapPost(root + "/invocation/{requestId}/error", ErrorAsync);
            app.MapPost(root + "/init/error", InitErrorAsync);
        }
    }

    private async Task NextAsync(HttpContext http)
    {
        var channel = Channel(ChannelName(http));
        PendingInvocation invocation;
        try
        {
            invocation = await channel.NextAsync(DateTimeOffset.UtcNow, StartupTimes.Parse(http.Request.Headers[RuntimeApiHeaders.Startup].FirstOrDefault()), http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // The instance went away while waiting; nothing was taken from the queue.
        }
        var deadline = invocation.MarkDispatched(DateTimeOffset.UtcNow);
        _inFlight[invocation.RequestId] = invocation;
        var headers = http.Response.Headers;
        headers[RuntimeApiHeaders.RequestId] = invocation.RequestId;
        headers[RuntimeApiHeaders.DeadlineMs] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers[RuntimeApiHeaders.InvokedFunctionArn] = invocation.FunctionArn;
        headers[RuntimeApiHeaders.TraceId] = invocation.TraceId;
        if (invocation.ClientContext is not null)
        {
            headers[RuntimeApiHeaders.ClientContext] = invocation.ClientContext;
        }
        http.Response.ContentType = "application/json";
        await BoundedWrite.WriteAsync(http.Response.Body, invocation.Payload, http.RequestAborted).ConfigureAwait(false);
    }

    private async Task ResponseAsync(HttpContext http, string requestId)
    {
        if (!TryFind(requestId, out var invocation))
        {
            await RefuseAsync(http, requestId).ConfigureAwait(false);
            return;
        }
        var streamStartedAt = IsStreamed(http.Request) ? DateTimeOffset.UtcNow : (DateTimeOffset?)null;
        if (streamStartedAt is not null && invocation.Sink is { } sink && sink.TryStart(http.Request.ContentType ?? "application/octet-stream"))
        {
            await StreamAsync(http, invocation, sink, streamStartedAt.Value).ConfigureAwait(false);
            return;
        }
        var (body, length) = await CappedBody.ReadCountingAsync(http.Request.Body, MaxPayloadBytes, http.Request.ContentLength, countOversize: true, http.RequestAborted).ConfigureAwait(false);
        if (StreamError(http.Request) is { } failed)
        {
            await CompleteAsync(http, invocation, failed with { StreamStartedAt = streamStartedAt }).ConfigureAwait(false);
            return;
        }
        if (body is null)
        {
            // Lambda's words for the caller, and RIE's 413 for the runtime: the invocation is over, no /error follows.
            Fail(invocation, "Function.ResponseSizeTooLarge", ResponseTooLarge(length));
            await WriteAsync(http, 413, ErrorBody("RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({MaxPayloadBytes} bytes).")).ConfigureAwait(false);
            return;
        }
        await CompleteAsync(http, invocation, InvocationOutcome.Success(body, DateTimeOffset.UtcNow) with
        {
            StreamContentType = streamStartedAt is null ? null : http.Request.ContentType ?? "application/octet-stream",
            StreamStartedAt = streamStartedAt,
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Passes a streamed response on to the caller's sink as it arrives, up to Lambda's 200 MB for a stream (past them the
    /// caller has what came and the invocation fails as Lambda fails it), at the pace of <see cref="Bandwidth"/>; a caller
    /// that stopped reading leaves the rest drained. A function stopped mid-stream (killed at its timeout, crashed) ends
    /// the sink with the break.
    /// </summary>
    private async Task StreamAsync(HttpContext http, PendingInvocation invocation, ResponseSink sink, DateTimeOffset startedAt)
    {
        var (length, callerGone) = (0L, false);
        var pace = Bandwidth.Start();
        Exception? broken = null;
        try
        {
            var body = http.Request.BodyReader;
            while (true)
            {
                var read = await body.ReadAsync(http.RequestAborted).ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                {
                    var room = MaxStreamedBytes - length;
                    if (!callerGone && room > 0)
                    {
                        var passed = segment.Length <= room ? segment : segment[..(int)room];
                        if (pace.Before(passed.Length) is { Ticks: > 0 } wait)
                        {
                            await Task.Delay(wait, http.RequestAborted).ConfigureAwait(false);
                        }
                        var flush = await sink.Writer.WriteAsync(passed, http.RequestAborted).ConfigureAwait(false);
                        callerGone = flush.IsCompleted;
                    }
                    length += segment.Length;
                }
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            broken = e;
        }
        finally
        {
            await sink.Writer.CompleteAsync(broken).ConfigureAwait(false);
        }
        if (broken is not null)
        {
            return; // The function is gone; whoever stopped it has failed the invocation.
        }
        if (length > MaxStreamedBytes)
        {
            Fail(invocation, "Function.ResponseSizeTooLarge", $"Response payload size exceeded maximum allowed payload size ({MaxStreamedBytes} bytes).");
            await WriteAsync(http, 413, ErrorBody("RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({MaxStreamedBytes} bytes).")).ConfigureAwait(false);
            return;
        }
        var outcome = StreamError(http.Request) ?? InvocationOutcome.Success([], DateTimeOffset.UtcNow);
        await CompleteAsync(http, invocation, outcome with { StreamStartedAt = startedAt }).ConfigureAwait(false);
    }

    private static bool IsStreamed(HttpRequest request) =>
        string.Equals(request.Headers[ResponseStream.ResponseModeHeader], "streaming", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The error a streamed response ended with (the function failed after its first bytes): its trailers' type and
    /// report (base64 of the JSON /error would carry), as the invocation's outcome; null for any other response.
    /// </summary>
    private static InvocationOutcome? StreamError(HttpRequest request)
    {
        if (!IsStreamed(request) || !request.SupportsTrailers() || !request.CheckTrailersAvailable()
            || request.GetTrailer(ResponseStream.ErrorTypeTrailer).FirstOrDefault() is not { Length: > 0 } errorType)
        {
            return null;
        }
        var encoded = request.GetTrailer(ResponseStream.ErrorBodyTrailer).FirstOrDefault() ?? "";
        var report = new byte[encoded.Length * 3 / 4 + 3];
        var body = Convert.TryFromBase64String(encoded, report, out var written) && written > 0
            ? report[..written]
            : ErrorBody(errorType, "The function failed while it streamed its response, and sent no readable report of the error.");
        return InvocationOutcome.Error(errorType, body, DateTimeOffset.UtcNow);
    }

    private async Task ErrorAsync(HttpContext http, string requestId)
    {
        if (!TryFind(requestId, out var invocation))
        {
            await RefuseAsync(http, requestId).ConfigureAwait(false);
            return;
        }
        var body = await ReadBodyAsync(http).ConfigureAwait(false) ?? ErrorBody("Function.ErrorTooLarge", $"The error report is larger than {MaxPayloadBytes} bytes.");
        var errorType = http.Request.Headers[RuntimeApiHeaders.FunctionErrorType].FirstOrDefault() ?? "Unhandled";
        await CompleteAsync(http, invocation, InvocationOutcome.Error(errorType, body, DateTimeOffset.UtcNow)).ConfigureAwait(false);
    }

    private async Task InitErrorAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http).ConfigureAwait(false) ?? ErrorBody("Runtime.InitError", $"The init error report is larger than {MaxPayloadBytes} bytes.");
        var errorType = http.Request.Headers[RuntimeApiHeaders.FunctionErrorType].FirstOrDefault() ?? "Runtime.Unknown";
        Channel(ChannelName(http)).ReportInitError(InvocationOutcome.Error(errorType, body, DateTimeOffset.UtcNow));
        await WriteAsync(http, 202, "{\"status\":\"OK\"}"u8.ToArray()).ConfigureAwait(false);
    }

    private void Retire(PendingInvocation invocation)
    {
        _inFlight.TryRemove(invocation.RequestId, out _);
        _answered.Add(invocation.RequestId);
    }

    private async Task CompleteAsync(HttpContext http, PendingInvocation invocation, InvocationOutcome outcome)
    {
        Retire(invocation);
        if (invocation.TryComplete(outcome))
        {
            await WriteAsync(http, 202, "{\"status\":\"OK\"}"u8.ToArray()).ConfigureAwait(false);
        }
        else
        {
            await WriteAsync(http, 403, ErrorBody("InvalidStateTransition", $"The invocation {invocation.RequestId} was already answered.")).ConfigureAwait(false);
        }
    }

    private bool TryFind(string requestId, out PendingInvocation invocation) => _inFlight.TryGetValue(requestId, out invocation!);

    /// <summary>400 for an id never handed out; 403 for one already answered (Lambda's InvalidStateTransition).</summary>
    private Task RefuseAsync(HttpContext http, string requestId) =>
        _answered.Contains(requestId)
            ? WriteAsync(http, 403, ErrorBody("InvalidStateTransition", $"The invocation {requestId} was already answered."))
            : WriteAsync(http, 400, ErrorBody("InvalidRequestID", $"There is no invocation {requestId}."));

    /// <summary>The body, or null when it is over Lambda's 6 MB.</summary>
    private static Task<byte[]?> ReadBodyAsync(HttpContext http) =>
        CappedBody.ReadAsync(http.Request.Body, MaxPayloadBytes, http.Request.ContentLength, http.RequestAborted);

    private static async Task WriteAsync(HttpContext http, int status, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private static string ChannelName(HttpContext http) =>
        http.Items.TryGetValue(ChannelItem, out var own) && own is string endpoint ? endpoint
        : http.Request.RouteValues.TryGetValue("channel", out var value) && value is string name ? name : BareChannel;

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
