using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Functions.Runtime;
using Functions.Tools.Hosting;
using Functions.Tools.RuntimeApi.Http1;

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

    /// <summary>A streamed response is passed on in reads of up to this much.</summary>
    private const int StreamChunkBytes = 16 * 1024;

    private static readonly byte[] Accepted = "{\"status\":\"OK\"}"u8.ToArray();
    private const string Prefix = "/2018-06-01/runtime/";

    private readonly ConcurrentDictionary<string, RuntimeChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingInvocation> _inFlight = new(StringComparer.Ordinal);
    // Ids only, so a late second answer gets 403 rather than 400 without keeping payloads alive.
    private readonly AnsweredIds _answered = new();
    private Http1Listener? _listener;

    private RuntimeApiServer(StreamBandwidth bandwidth) => Bandwidth = bandwidth;

    /// <summary>How fast streamed responses reach their callers.</summary>
    public StreamBandwidth Bandwidth { get; }

    /// <summary>host:port of the server, for AWS_LAMBDA_RUNTIME_API of a function on the bare path.</summary>
    public string HostAndPort => _listener?.HostAndPort ?? "";

    public static async Task<RuntimeApiServer> StartAsync(CancellationToken cancellationToken = default) =>
        await StartAsync(StreamBandwidth.Unlimited, cancellationToken).ConfigureAwait(false);

    public static async Task<RuntimeApiServer> StartAsync(StreamBandwidth bandwidth, CancellationToken cancellationToken = default)
    {
        var server = new RuntimeApiServer(bandwidth);
        server._listener = Http1Listener.Start((request, connection) => server.HandleAsync(request, connection, endpointChannel: null));
        await server.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>
    /// Runs one invocation and one init error through the server itself. The tool runs on the JIT: without this, the
    /// first function's Init Duration would include compiling the server's request path, not the function's init.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        const string channel = "$warmup";
        // An id of its own, so no id a caller could send is taken for one already answered.
        var requestId = $"warmup-{Guid.NewGuid():N}";
        var invocation = new PendingInvocation(requestId, "{}"u8.ToArray(), TimeSpan.FromSeconds(3), "arn:aws:lambda:us-east-1:123456789012:function:warmup", "Root=1-0-0");
        Channel(channel).Enqueue(invocation);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{RuntimeApiFor(channel)}/2018-06-01/runtime/") };
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
    public Task<RuntimeApiEndpoint> OpenEndpointAsync(string channel, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new RuntimeApiEndpoint(Http1Listener.Start((request, connection) => HandleAsync(request, connection, channel))));
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
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Routes a request: [/{channel}]/2018-06-01/runtime/ then invocation/next, invocation/{id}/response,
    /// invocation/{id}/error or init/error. An instance's own endpoint serves the bare path only.
    /// </summary>
    private Task HandleAsync(Http1Request request, Http1Connection connection, string? endpointChannel)
    {
        var path = request.Path;
        string channel;
        int at;
        if (path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            (channel, at) = (endpointChannel ?? BareChannel, Prefix.Length);
        }
        else if (endpointChannel is null && path.IndexOf('/', 1) is var slash and > 1
                 && path.AsSpan(slash).StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            (channel, at) = (Uri.UnescapeDataString(path[1..slash]), slash + Prefix.Length);
        }
        else
        {
            return NotFoundAsync(connection, path);
        }
        var route = path.AsSpan(at);
        var isGet = string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase);
        var isPost = string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase);
        if (route.Equals("invocation/next", StringComparison.OrdinalIgnoreCase))
        {
            return isGet ? NextAsync(request, connection, channel) : NotAllowedAsync(connection, "GET");
        }
        if (route.Equals("init/error", StringComparison.OrdinalIgnoreCase))
        {
            return isPost ? InitErrorAsync(request, connection, channel) : NotAllowedAsync(connection, "POST");
        }
        if (route.StartsWith("invocation/", StringComparison.OrdinalIgnoreCase) && route.LastIndexOf('/') is var last and > 11)
        {
            var id = route[11..last];
            var verb = route[(last + 1)..];
            var isResponse = verb.Equals("response", StringComparison.OrdinalIgnoreCase);
            if (!id.Contains('/') && (isResponse || verb.Equals("error", StringComparison.OrdinalIgnoreCase)))
            {
                var requestId = Uri.UnescapeDataString(id.ToString());
                return !isPost ? NotAllowedAsync(connection, "POST")
                    : isResponse ? ResponseAsync(request, connection, requestId)
                    : ErrorAsync(request, connection, requestId);
            }
        }
        return NotFoundAsync(connection, path);
    }

    private static Task NotFoundAsync(Http1Connection connection, string path) =>
        connection.AnswerAsync(404, ErrorBody("NotFound", $"{path} is not a path of the Runtime API 2018-06-01."));

    private static Task NotAllowedAsync(Http1Connection connection, string allowed) =>
        connection.AnswerAsync(405, ErrorBody("MethodNotAllowed", $"This path of the Runtime API takes {allowed} only."), headers: [new("Allow", allowed)]);

    private async Task NextAsync(Http1Request request, Http1Connection connection, string channelName)
    {
        var channel = Channel(channelName);
        var startup = StartupTimes.Parse(request.Header(RuntimeApiHeaders.Startup));
        if (!channel.TryNext(DateTimeOffset.UtcNow, startup, out var invocation))
        {
            var leaving = await connection.WaitingAsync().ConfigureAwait(false);
            try
            {
                invocation = await channel.NextAsync(DateTimeOffset.UtcNow, startup, leaving).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // The instance went away while waiting; nothing was taken from the queue.
            }
        }
        var deadline = invocation.MarkDispatched(DateTimeOffset.UtcNow);
        _inFlight[invocation.RequestId] = invocation;
        List<KeyValuePair<string, string>> headers =
        [
            new(RuntimeApiHeaders.RequestId, invocation.RequestId),
            new(RuntimeApiHeaders.DeadlineMs, deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new(RuntimeApiHeaders.InvokedFunctionArn, invocation.FunctionArn),
            new(RuntimeApiHeaders.TraceId, invocation.TraceId),
        ];
        if (invocation.ClientContext is not null)
        {
            headers.Add(new(RuntimeApiHeaders.ClientContext, invocation.ClientContext));
        }
        await connection.AnswerAsync(200, invocation.Payload, headers: headers).ConfigureAwait(false);
    }

    private async Task ResponseAsync(Http1Request request, Http1Connection connection, string requestId)
    {
        if (!TryFind(requestId, out var invocation))
        {
            await RefuseAsync(connection, requestId).ConfigureAwait(false);
            return;
        }
        var contentType = request.Header("Content-Type");
        var streamStartedAt = IsStreamed(request) ? DateTimeOffset.UtcNow : (DateTimeOffset?)null;
        if (streamStartedAt is not null && invocation.Sink is { } sink && sink.TryStart(contentType ?? "application/octet-stream"))
        {
            await StreamAsync(request, connection, invocation, sink, streamStartedAt.Value).ConfigureAwait(false);
            return;
        }
        var (body, length) = await CappedBody.ReadCountingAsync(request.Body, MaxPayloadBytes, request.ContentLength, countOversize: true, CancellationToken.None).ConfigureAwait(false);
        if (StreamError(request) is { } failed)
        {
            await CompleteAsync(connection, invocation, failed with { StreamStartedAt = streamStartedAt }).ConfigureAwait(false);
            return;
        }
        if (body is null)
        {
            // Lambda's words for the caller, and RIE's 413 for the runtime: the invocation is over, no /error follows.
            Fail(invocation, "Function.ResponseSizeTooLarge", ResponseTooLarge(length));
            await connection.AnswerAsync(413, ErrorBody("RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({MaxPayloadBytes} bytes).")).ConfigureAwait(false);
            return;
        }
        await CompleteAsync(connection, invocation, InvocationOutcome.Success(body, DateTimeOffset.UtcNow) with
        {
            StreamContentType = streamStartedAt is null ? null : contentType ?? "application/octet-stream",
            StreamStartedAt = streamStartedAt,
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Passes a streamed response on to the caller's sink as it arrives, up to Lambda's 200 MB for a stream (past them the
    /// caller has what came and the invocation fails as Lambda fails it), at the pace of <see cref="Bandwidth"/>; a caller
    /// that stopped reading leaves the rest drained. A function stopped mid-stream (killed at its timeout, crashed) ends
    /// the sink with the break.
    /// </summary>
    private async Task StreamAsync(Http1Request request, Http1Connection connection, PendingInvocation invocation, ResponseSink sink, DateTimeOffset startedAt)
    {
        var (length, callerGone) = (0L, false);
        var pace = Bandwidth.Start();
        Exception? broken = null;
        var chunk = ArrayPool<byte>.Shared.Rent(StreamChunkBytes);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
            {
                var room = MaxStreamedBytes - length;
                if (!callerGone && room > 0)
                {
                    var passed = chunk.AsMemory(0, (int)Math.Min(read, room));
                    if (pace.Before(passed.Length) is { Ticks: > 0 } wait)
                    {
                        await Task.Delay(wait, request.Aborted).ConfigureAwait(false);
                    }
                    var flush = await sink.Writer.WriteAsync(passed, request.Aborted).ConfigureAwait(false);
                    callerGone = flush.IsCompleted;
                }
                length += read;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            broken = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            await sink.Writer.CompleteAsync(broken).ConfigureAwait(false);
        }
        if (broken is not null)
        {
            return; // The function is gone; whoever stopped it has failed the invocation.
        }
        if (length > MaxStreamedBytes)
        {
            Fail(invocation, "Function.ResponseSizeTooLarge", $"Response payload size exceeded maximum allowed payload size ({MaxStreamedBytes} bytes).");
            await connection.AnswerAsync(413, ErrorBody("RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({MaxStreamedBytes} bytes).")).ConfigureAwait(false);
            return;
        }
        var outcome = StreamError(request) ?? InvocationOutcome.Success([], DateTimeOffset.UtcNow);
        await CompleteAsync(connection, invocation, outcome with { StreamStartedAt = startedAt }).ConfigureAwait(false);
    }

    private static bool IsStreamed(Http1Request request) =>
        string.Equals(request.Header(ResponseStream.ResponseModeHeader), "streaming", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The error a streamed response ended with (the function failed after its first bytes): its trailers' type and
    /// report (base64 of the JSON /error would carry), as the invocation's outcome; null for any other response.
    /// </summary>
    private static InvocationOutcome? StreamError(Http1Request request)
    {
        if (!IsStreamed(request) || !request.Body.IsComplete || request.Trailer(ResponseStream.ErrorTypeTrailer) is not { Length: > 0 } errorType)
        {
            return null;
        }
        var encoded = request.Trailer(ResponseStream.ErrorBodyTrailer) ?? "";
        var report = new byte[encoded.Length * 3 / 4 + 3];
        var body = Convert.TryFromBase64String(encoded, report, out var written) && written > 0
            ? report[..written]
            : ErrorBody(errorType, "The function failed while it streamed its response, and sent no readable report of the error.");
        return InvocationOutcome.Error(errorType, body, DateTimeOffset.UtcNow);
    }

    private async Task ErrorAsync(Http1Request request, Http1Connection connection, string requestId)
    {
        if (!TryFind(requestId, out var invocation))
        {
            await RefuseAsync(connection, requestId).ConfigureAwait(false);
            return;
        }
        var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? ErrorBody("Function.ErrorTooLarge", $"The error report is larger than {MaxPayloadBytes} bytes.");
        var errorType = request.Header(RuntimeApiHeaders.FunctionErrorType) ?? "Unhandled";
        await CompleteAsync(connection, invocation, InvocationOutcome.Error(errorType, body, DateTimeOffset.UtcNow)).ConfigureAwait(false);
    }

    private async Task InitErrorAsync(Http1Request request, Http1Connection connection, string channel)
    {
        var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? ErrorBody("Runtime.InitError", $"The init error report is larger than {MaxPayloadBytes} bytes.");
        var errorType = request.Header(RuntimeApiHeaders.FunctionErrorType) ?? "Runtime.Unknown";
        Channel(channel).ReportInitError(InvocationOutcome.Error(errorType, body, DateTimeOffset.UtcNow));
        await connection.AnswerAsync(202, Accepted).ConfigureAwait(false);
    }

    private void Retire(PendingInvocation invocation)
    {
        _inFlight.TryRemove(invocation.RequestId, out _);
        _answered.Add(invocation.RequestId);
    }

    private async Task CompleteAsync(Http1Connection connection, PendingInvocation invocation, InvocationOutcome outcome)
    {
        Retire(invocation);
        if (invocation.TryComplete(outcome))
        {
            await connection.AnswerAsync(202, Accepted).ConfigureAwait(false);
        }
        else
        {
            await connection.AnswerAsync(403, ErrorBody("InvalidStateTransition", $"The invocation {invocation.RequestId} was already answered.")).ConfigureAwait(false);
        }
    }

    private bool TryFind(string requestId, out PendingInvocation invocation) => _inFlight.TryGetValue(requestId, out invocation!);

    /// <summary>400 for an id never handed out; 403 for one already answered (Lambda's InvalidStateTransition).</summary>
    private Task RefuseAsync(Http1Connection connection, string requestId) =>
        _answered.Contains(requestId)
            ? connection.AnswerAsync(403, ErrorBody("InvalidStateTransition", $"The invocation {requestId} was already answered."))
            : connection.AnswerAsync(400, ErrorBody("InvalidRequestID", $"There is no invocation {requestId}."));

    /// <summary>The body, or null when it is over Lambda's 6 MB.</summary>
    private static Task<byte[]?> ReadBodyAsync(Http1Request request) =>
        CappedBody.ReadAsync(request.Body, MaxPayloadBytes, request.ContentLength, CancellationToken.None);

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
