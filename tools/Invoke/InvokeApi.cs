using System.Diagnostics;
using System.Text.Json;
using System.Text.Unicode;
using Functions.Tools.Hosting;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Functions.Tools.Serve;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Functions.Tools.Invoke;

/// <summary>
/// Lambda's Invoke API (POST /2015-03-31/functions/{FunctionName}/invocations) on a port of its own, for AWS SDKs and
/// the CLI with their endpoint set to it, as `sam local start-lambda` serves it: RequestResponse, Event (202, run in
/// the background) and DryRun (204); X-Amz-Log-Type: Tail; X-Amz-Client-Context; X-Amz-Function-Error on a failed
/// invocation. Only what AWS's SDKs and CLI send is served (<see cref="CallerCheck"/>: SigV4-signed, no web page's
/// origin, no foreign host name). Every refusal is Lambda's: its status, x-amzn-ErrorType and message, also for what Kestrel refuses
/// before the request gets here. Requests share the front door's in-flight bound; past it, 429 as Lambda answers
/// past its concurrency.
/// </summary>
public sealed class InvokeApi : IAsyncDisposable
{
    public const string InvocationsPath = "/2015-03-31/functions/{FunctionName}/invocations";
    private const string PathStart = "/2015-03-31/functions/";
    private const string PathEnd = "/invocations";
    public const string StreamingInvocationsPath = "/2021-11-15/functions/{FunctionName}/response-streaming-invocations";
    private const string StreamingPathStart = "/2021-11-15/functions/";
    private const string StreamingPathEnd = "/response-streaming-invocations";
    public const string ConfigurationPath = "/2015-03-31/functions/{FunctionName}/configuration";

    /// <summary>A configuration request is a few fields and at most 4 KB of variables.</summary>
    private const int MaxConfigurationBytes = 64 * 1024;

    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly ServeLog _log;
    private readonly InFlightBudget _budget;
    private volatile IReadOnlyDictionary<string, FunctionPool> _functions;
    private volatile IReadOnlySet<string> _pending = new HashSet<string>();

    private InvokeApi(WebApplication app, ServeLog log, IReadOnlyDictionary<string, FunctionPool> functions, InFlightBudget budget)
    {
        _app = app;
        _log = log;
        _functions = functions;
        _budget = budget;
    }

    public Uri Address { get; private set; } = null!;

    /// <param name="functions">Each pool under every name it answers to (see <see cref="NamesOf"/>).</param>
    /// <param name="budget">The in-flight bound this door shares with the HTTP API's.</param>
    public static async Task<InvokeApi> StartAsync(
        string host, int port, IReadOnlyDictionary<string, FunctionPool> functions, ServeLog log, InFlightBudget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var app = LoopbackWebApp.Create(kestrel =>
        {
            LoopbackWebApp.ListenAsFrontDoor(kestrel, host, port, status => Refused(log, status));
            kestrel.Limits.MaxRequestBodySize = null; // Refused with Lambda's own error past its limit.
            kestrel.AddServerHeader = false;
        });
        var api = new InvokeApi(app, log, functions, budget);
        await LoopbackWebApp.StartFrontDoorAsync(app, api.HandleAsync,
            e => new UserError($"Cannot listen on {host}:{port} for the Invoke API: {e.Message.TrimEnd('.')}. Pick another port with --invoke-port.", inner: e),
            cancellationToken).ConfigureAwait(false);
        api.Address = app.ListeningAddress();
        return api;
    }

    /// <summary>The names a function answers to: its name and its logical id in the template.</summary>
    public static IEnumerable<string> NamesOf(string name, string logicalId) => name == logicalId ? [name] : [name, logicalId];

    /// <summary>The pools after the template changed (--watch), or after a build; <paramref name="pending"/>: the names still building.</summary>
    public void Use(IReadOnlyDictionary<string, FunctionPool> functions, IReadOnlySet<string>? pending = null) =>
        (_functions, _pending) = (functions, pending ?? new HashSet<string>());

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(ShutdownGrace);
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (CallerCheck.Refusal(http.Request) is { } refusal)
            {
                throw refusal;
            }
            if (IsConfiguration(http))
            {
                await ConfigurationAsync(http, started).ConfigureAwait(false);
            }
            else
            {
                await InvokeAsync(http, started, streaming: PathOf(http).StartsWith(StreamingPathStart, StringComparison.Ordinal)).ConfigureAwait(false);
            }
        }
        catch (InvokeError e)
        {
            await WriteErrorAsync(http, e).ConfigureAwait(false);
            _log.Access("INVOKE", Target(http), e.Status, Elapsed(started), "-");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            _log.Access("INVOKE", Target(http), 499, Elapsed(started), "-");
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            // The body broke off or broke HTTP's framing while it was read.
            await WriteErrorAsync(http, InvokeError.InvalidContent($"The request body could not be read: {e.Message}")).ConfigureAwait(false);
            _log.Access("INVOKE", Target(http), 400, Elapsed(started), "-");
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            // A fault of serve's, not the caller's: Lambda's ServiceException, and one line saying what broke.
            _log.Error("invoke", $"{Target(http)}: {e.GetType().Name}: {e.Message}");
            await WriteErrorAsync(http, new InvokeError(500, "ServiceException", "The Lambda service encountered an internal error.")).ConfigureAwait(false);
            _log.Access("INVOKE", Target(http), 500, Elapsed(started), "-");
        }
    }

    /// <param name="streaming">InvokeWithResponseStream: the answer as an event stream, passed on as the function writes it.</param>
    private async Task InvokeAsync(HttpContext http, long started, bool streaming)
    {
        var request = http.Request;
        var name = streaming ? FunctionNameIn(http, StreamingPathStart, StreamingPathEnd, HttpMethods.Post) : FunctionNameIn(http, PathStart, PathEnd, HttpMethods.Post);
        var target = InvokeTarget.Parse(name, Single(request.Query, "Qualifier", "qualifier"));
        var type = Single(request.Headers, "X-Amz-Invocation-Type", "invocationType") ?? "RequestResponse";
        if (streaming ? type is not ("RequestResponse" or "DryRun") : type is not ("RequestResponse" or "Event" or "DryRun"))
        {
            throw InvokeError.Validation(type, "invocationType", streaming
                ? "Member must satisfy enum value set: [RequestResponse, DryRun]"
                : "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        }
        var logType = Single(request.Headers, "X-Amz-Log-Type", "logType");
        if (logType is not (null or "None" or "Tail"))
        {
            throw InvokeError.Validation(logType, "logType", "Member must satisfy enum value set: [Tail, None]");
        }
        var clientContext = ClientContextOf(request);
        if (!target.IsLocal || !_functions.TryGetValue(target.Name, out var pool))
        {
            throw target.IsLocal && _pending.Contains(target.Name) ? InvokeError.Pending(target.Name) : InvokeError.NotFound(target.Arn);
        }
        if (_budget.TryEnter(DeclaredBodyBytes(request)) is not InFlightBudget.Lease lease)
        {
            _budget.NoteAnswered();
            http.Response.Headers.RetryAfter = "1";
            throw new InvokeError(429, "TooManyRequestsException", "Rate Exceeded.");
        }
        NativeBuffer? body = null;
        InFlightBudget.Lease? held = lease;
        try
        {
            body = await CappedBody.ReadNativeAsync(request.Body, RuntimeApiServer.MaxEventBytes, request.ContentLength, http.RequestAborted).ConfigureAwait(false)
                ?? throw new InvokeError(413, "RequestEntityTooLargeException", RuntimeApiServer.EventTooLarge);
            lease.Resize(body.Memory.Length);
            ReadOnlyMemory<byte> payload = body.Memory.Length == 0 ? "{}"u8.ToArray() : body.Memory; // No payload: the function gets an empty object, as on Lambda.
            CheckPayload(payload.Span);
            if (type == "DryRun")
            {
                http.Response.StatusCode = 204;
                http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                Access(pool, 204, started, "-");
                return;
            }
            var caller = new CallerContext(TraceHeader.RootOf(request.Headers["X-Amzn-Trace-Id"].FirstOrDefault()) ?? TraceHeader.NewRoot(),
                // Lambda passes the client context for synchronous invocations only.
                type == "RequestResponse" ? clientContext : null)
            {
                Tail = type == "RequestResponse" && logType == "Tail" ? new LogTail() : null,
            };
            if (type == "Event")
            {
                RunInBackground(pool, payload, caller, body, lease);
                (body, held) = (null, null); // The background run lets them go when it ends.
                http.Response.StatusCode = 202;
                http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
                Access(pool, 202, started, "-");
                return;
            }
            if (streaming)
            {
                var streamed = await StreamingInvocation.RunAsync(http, pool, payload, caller).ConfigureAwait(false);
                Access(pool, 200, started, streamed.Cold ? "cold" : "warm");
                return;
            }
            var report = await pool.InvokeAsync(payload, CancellationToken.None, caller).ConfigureAwait(false);
            ((IDisposable)body).Dispose();
            body = null;
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            http.Response.Headers["x-amzn-RequestId"] = report.RequestId;
            http.Response.Headers["X-Amz-Executed-Version"] = "$LATEST";
            if (!report.Outcome.IsSuccess)
            {
                http.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
            }
            if (caller.Tail is { } tail)
            {
                http.Response.Headers["X-Amz-Log-Result"] = tail.ToBase64();
            }
            await BoundedWrite.WriteAsync(http.Response.Body, report.Outcome.Payload, http.RequestAborted).ConfigureAwait(false);
            Access(pool, 200, started, report.Cold ? "cold" : "warm");
        }
        finally
        {
            if (body is not null)
            {
                ((IDisposable)body).Dispose();
            }
            held?.Dispose();
        }
    }

    /// <summary>GetFunctionConfiguration (GET) and UpdateFunctionConfiguration (PUT): the function's configuration either way.</summary>
    private async Task ConfigurationAsync(HttpContext http, long started)
    {
        var request = http.Request;
        var name = FunctionNameIn(http, PathStart, FunctionConfiguration.PathEnd, HttpMethods.Get, HttpMethods.Put);
        var target = InvokeTarget.Parse(name, Single(request.Query, "Qualifier", "qualifier"));
        if (!target.IsLocal || !_functions.TryGetValue(target.Name, out var pool))
        {
            throw InvokeError.NotFound(target.Arn);
        }
        if (HttpMethods.IsPut(request.Method))
        {
            using var body = await CappedBody.ReadNativeAsync(request.Body, MaxConfigurationBytes, request.ContentLength, http.RequestAborted).ConfigureAwait(false)
                ?? throw new InvokeError(413, "RequestEntityTooLargeException", "The configuration request is larger than serve takes (64 KiB).");
            FunctionConfiguration.Update(pool, body.Memory.Span);
            var spec = pool.Spec;
            _log.Info($"{pool.Name}: configuration updated through the Invoke API (MemorySize {spec.MemoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture)} MB, "
                + $"Timeout {spec.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s, {spec.Environment.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} variables): new instances start with it");
        }
        var answer = FunctionConfiguration.Describe(pool, ArchitectureOf(pool.Spec));
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        http.Response.ContentLength = answer.Length;
        await http.Response.Body.WriteAsync(answer, http.RequestAborted).ConfigureAwait(false);
        _log.Access(HttpMethods.IsPut(request.Method) ? "CONFIG-PUT" : "CONFIG", pool.Name, 200, Elapsed(started), "-");
    }

    /// <summary>The architecture the function runs as here: the host's, or the one its emulator runs.</summary>
    private static string ArchitectureOf(Instances.FunctionSpec spec) =>
        spec.Emulator is null ? Architecture.HostOrX86_64.Name : spec.Emulator.Contains("aarch64", StringComparison.Ordinal) ? "arm64" : "x86_64";

    private static bool IsConfiguration(HttpContext http)
    {
        var path = PathOf(http);
        return path.StartsWith(PathStart, StringComparison.Ordinal) && path.EndsWith(FunctionConfiguration.PathEnd, StringComparison.Ordinal);
    }

    /// <summary>An asynchronous invocation: the caller has its 202; the outcome goes to serve's log only.</summary>
    private void RunInBackground(FunctionPool pool, ReadOnlyMemory<byte> payload, CallerContext caller, NativeBuffer body, InFlightBudget.Lease lease)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                var report = await pool.InvokeAsync(payload, CancellationToken.None, caller).ConfigureAwait(false);
                if (!report.Outcome.IsSuccess)
                {
                    _log.Error(pool.Name, $"Event invocation {report.RequestId} failed: {report.Outcome.ErrorType}.");
                }
            }
            catch (Exception e) when (e is Instances.InstanceStartException or OperationCanceledException)
            {
                _log.Error(pool.Name, $"Event invocation not run: {e.Message}");
            }
            finally
            {
                ((IDisposable)body).Dispose();
                lease.Dispose();
            }
        });
    }

    /// <summary>
    /// FunctionName from the path as sent, decoded once: the SDKs encode it once, so "%2548" names "%48", which
    /// Lambda's pattern refuses. The rest of the path must be Invoke's, byte for byte (Lambda's paths are case-sensitive).
    /// </summary>
    private static string FunctionNameIn(HttpContext http, string pathStart, string pathEnd, params string[] methods)
    {
        var path = PathOf(http);
        if (!methods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) || !path.StartsWith(pathStart, StringComparison.Ordinal) || !path.EndsWith(pathEnd, StringComparison.Ordinal)
            || path.Length <= pathStart.Length + pathEnd.Length || path.AsSpan(pathStart.Length, path.Length - pathStart.Length - pathEnd.Length).Contains('/'))
        {
            throw new InvokeError(404, "UnknownOperationException",
                $"No Lambda operation at {http.Request.Method} {InvokeError.Shown(path)}: this endpoint serves Invoke (POST {InvocationsPath}), "
                + $"InvokeWithResponseStream (POST {StreamingInvocationsPath}), "
                + $"GetFunctionConfiguration (GET {ConfigurationPath}) and UpdateFunctionConfiguration (PUT {ConfigurationPath}).");
        }
        return Uri.UnescapeDataString(path[pathStart.Length..^pathEnd.Length]);
    }

    /// <summary>The path as sent, without its query.</summary>
    private static string PathOf(HttpContext http) =>
        (http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "").Split('?', 2)[0];

    /// <summary>A header or query parameter given at most once (Lambda reads one value; two are not a choice to make for the caller).</summary>
    private static string? Single(IEnumerable<KeyValuePair<string, StringValues>> values, string name, string parameter)
    {
        var given = values.Where(v => string.Equals(v.Key, name, values is IHeaderDictionary ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            .SelectMany(v => v.Value).ToList();
        return given.Count switch
        {
            0 => null,
            1 => given[0],
            _ => throw InvokeError.Validation(string.Join(",", given), parameter, $"Member must be given once; {name} was given {given.Count} times"),
        };
    }

    /// <summary>X-Amz-Client-Context is base64 of a JSON object; the function gets the JSON.</summary>
    private static string? ClientContextOf(HttpRequest request)
    {
        if (Single(request.Headers, "X-Amz-Client-Context", "clientContext") is not { Length: > 0 } header)
        {
            return null;
        }
        try
        {
            return ClientContextJson.FromBase64(header);
        }
        catch (InvalidClientContextException e)
        {
            throw InvokeError.InvalidContent(e.Message);
        }
    }

    /// <summary>A payload Lambda takes: UTF-8 JSON. Its message starts as Lambda's does; the rest is ours (line and byte).</summary>
    private static void CheckPayload(ReadOnlySpan<byte> payload)
    {
        if (!Utf8.IsValid(payload))
        {
            throw InvokeError.InvalidContent("Could not parse request body into json: the payload is not valid UTF-8.");
        }
        var reader = new Utf8JsonReader(payload);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw InvokeError.InvalidContent($"Could not parse request body into json: the payload is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}).");
        }
    }

    /// <summary>What the request may hold before its body is read: its Content-Length, or the most an event may be when it is chunked.</summary>
    private static long DeclaredBodyBytes(HttpRequest request) => Math.Min(request.ContentLength ?? RuntimeApiServer.MaxEventBytes, RuntimeApiServer.MaxEventBytes);

    /// <summary>Kestrel's own refusal (request line or headers too large, a request it cannot parse), answered as Lambda.</summary>
    private static RefusalAnswer Refused(ServeLog log, int status)
    {
        var message = status switch
        {
            414 => "The request line is longer than this endpoint takes (8,192 bytes).",
            431 => "The request headers are larger than this endpoint takes (32 KiB).",
            408 => "The request headers did not arrive in time.",
            _ => "The request is not valid HTTP.",
        };
        log.Error("invoke", $"Refused before reading: {status} {message}");
        // Whatever Kestrel's status (505 for an HTTP version it does not speak), the caller sent it: a 4xx.
        var error = new InvokeError(status is >= 400 and < 500 ? status : 400, "InvalidRequestContentException", message);
        return new RefusalAnswer(
            error.Status,
            ["Content-Type: application/json", $"x-amzn-ErrorType: {error.Type}", $"x-amzn-RequestId: {Guid.NewGuid()}"],
            ErrorBody(error));
    }

    private void Access(FunctionPool pool, int status, long started, string temperature) =>
        _log.Access("INVOKE", pool.Name, status, Elapsed(started), temperature);

    /// <summary>What the access line names: the path's function segment, bounded.</summary>
    private static string Target(HttpContext http) => InvokeError.Shown(http.Request.Path.Value ?? "");

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>Lambda's REST-JSON error: x-amzn-ErrorType names it (what SDKs read), the body has its message.</summary>
    private static async Task WriteErrorAsync(HttpContext http, InvokeError error)
    {
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-ErrorType"] = error.Type;
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var body = ErrorBody(error);
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] ErrorBody(InvokeError error)
    {
        using var body = new MemoryStream();
        // Relaxed escaping: the message reads as Lambda's does ('x', +), and the body is JSON, never HTML.
        using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("Type", error.Status >= 500 ? "Service" : "User");
            json.WriteString("message", error.Message);
            if (error.Type == "TooManyRequestsException")
            {
                json.WriteString("Reason", "ConcurrentInvocationLimitExceeded");
            }
            json.WriteEndObject();
        }
        return body.ToArray();
    }
}
