using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Tools.ApiGateway;
using Functions.Tools.Hosting;
using Functions.Tools.InstancePool;
using Functions.Tools.RuntimeApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.Serve;

/// <summary>
/// Lambda's Invoke API (POST /2015-03-31/functions/{name}/invocations) on a port of its own, for AWS SDKs and the CLI
/// with their endpoint set to it, as `sam local start-lambda` serves it: RequestResponse, Event (202, run in the
/// background) and DryRun (204); X-Amz-Log-Type: Tail; X-Amz-Client-Context; X-Amz-Function-Error on a failed
/// invocation; Lambda's error types and statuses for an unknown function, an event over the limit, a payload that is
/// not JSON. The functions are serve's pools, by their name or their logical id, bare or as an ARN.
/// </summary>
public sealed class InvokeApi : IAsyncDisposable
{
    public const string InvocationsPath = "/2015-03-31/functions/{name}/invocations";

    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly ServeLog _log;
    private volatile IReadOnlyDictionary<string, FunctionPool> _functions;

    private InvokeApi(WebApplication app, ServeLog log, IReadOnlyDictionary<string, FunctionPool> functions)
    {
        _app = app;
        _log = log;
        _functions = functions;
    }

    public Uri Address { get; private set; } = null!;

    /// <param name="functions">Each pool under every name it answers to (see <see cref="NamesOf"/>).</param>
    public static async Task<InvokeApi> StartAsync(string host, int port, IReadOnlyDictionary<string, FunctionPool> functions, ServeLog log, CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebApp.Create(kestrel =>
        {
            kestrel.Listen(host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host), port);
            kestrel.Limits.MaxRequestBodySize = null; // Refused with Lambda's own error past its limit.
            kestrel.AddServerHeader = false;
        });
        var api = new InvokeApi(app, log, functions);
        app.MapPost(InvocationsPath, (HttpContext http, string name) => api.InvokeAsync(http, name));
        app.MapFallback(http => WriteErrorAsync(http, 404, "UnknownOperationException", $"No Lambda operation at {http.Request.Method} {http.Request.Path}: this endpoint serves Invoke ({InvocationsPath})."));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UserError($"Cannot listen on {host}:{port} for the Invoke API: {e.Message}. Pick another port with --invoke-port.", inner: e);
        }
        api.Address = app.ListeningAddress();
        return api;
    }

    /// <summary>The names a function answers to: its name and its logical id in the template.</summary>
    public static IEnumerable<string> NamesOf(string name, string logicalId) => name == logicalId ? [name] : [name, logicalId];

    /// <summary>The pools after the template changed (--watch).</summary>
    public void Use(IReadOnlyDictionary<string, FunctionPool> functions) => _functions = functions;

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(ShutdownGrace);
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task InvokeAsync(HttpContext http, string name)
    {
        var started = Stopwatch.GetTimestamp();
        var (functionName, qualifier) = Parse(name, http.Request.Query["Qualifier"].FirstOrDefault());
        if (qualifier is not (null or "$LATEST") || !_functions.TryGetValue(functionName, out var pool))
        {
            await WriteErrorAsync(http, 404, "ResourceNotFoundException", $"Function not found: {Arn(functionName)}{(qualifier is null ? "" : ":" + qualifier)}").ConfigureAwait(false);
            return;
        }
        var type = http.Request.Headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        if (type is not ("RequestResponse" or "Event" or "DryRun"))
        {
            await WriteErrorAsync(http, 400, "InvalidParameterValueException", $"1 validation error detected: Value '{Shown(type)}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]").ConfigureAwait(false);
            return;
        }
        var payload = await CappedBody.ReadAsync(http.Request.Body, RuntimeApiServer.MaxEventBytes, http.Request.ContentLength, http.RequestAborted).ConfigureAwait(false);
        if (payload is null)
        {
            await WriteErrorAsync(http, 413, "RequestEntityTooLargeException", RuntimeApiServer.EventTooLarge).ConfigureAwait(false);
            return;
        }
        if (payload.Length == 0)
        {
            payload = "{}"u8.ToArray(); // No payload: the function gets an empty object, as on Lambda.
        }
        else if (JsonProblem(payload) is { } problem)
        {
            await WriteErrorAsync(http, 400, "InvalidRequestContentException", $"Could not parse request body into json: {problem}").ConfigureAwait(false);
            return;
        }
        if (type == "DryRun")
        {
            http.Response.StatusCode = 204;
            Access(http, pool, 204, started, "-");
            return;
        }
        var caller = new CallerContext(TraceHeader.RootOf(http.Request.Headers["X-Amzn-Trace-Id"].FirstOrDefault()) ?? TraceHeader.NewRoot(), ClientContextOf(http))
        {
            Tail = type == "RequestResponse" && string.Equals(http.Request.Headers["X-Amz-Log-Type"].FirstOrDefault(), "Tail", StringComparison.Ordinal) ? new LogTail() : null,
        };
        if (type == "Event")
        {
            RunInBackground(pool, payload, caller);
            http.Response.StatusCode = 202;
            http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            Access(http, pool, 202, started, "-");
            return;
        }
        var report = await pool.InvokeAsync(payload, CancellationToken.None, caller).ConfigureAwait(false);
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
        Access(http, pool, 200, started, report.Cold ? "cold" : "warm");
    }

    /// <summary>An asynchronous invocation: the caller has its 202; the outcome goes to serve's log only.</summary>
    private void RunInBackground(FunctionPool pool, byte[] payload, CallerContext caller)
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
            catch (Exception e) when (e is UserError or OperationCanceledException)
            {
                _log.Error(pool.Name, $"Event invocation not run: {e.Message}");
            }
        });
    }

    private void Access(HttpContext http, FunctionPool pool, int status, long started, string temperature) =>
        _log.Access("INVOKE", pool.Name, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, temperature);

    /// <summary>"Items.Get", "Items.Get:$LATEST", or "arn:aws:lambda:region:account:function:Items.Get[:qualifier]".</summary>
    private static (string Name, string? Qualifier) Parse(string name, string? queryQualifier)
    {
        var decoded = Uri.UnescapeDataString(name);
        const string marker = ":function:";
        var at = decoded.IndexOf(marker, StringComparison.Ordinal);
        var rest = at >= 0 ? decoded[(at + marker.Length)..] : decoded;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (rest, queryQualifier) : (rest[..colon], rest[(colon + 1)..]);
    }

    private static string Arn(string name) => $"arn:aws:lambda:us-east-1:{EventBuilder.AccountId}:function:{name}";

    /// <summary>X-Amz-Client-Context is base64 of the JSON; the function gets the JSON.</summary>
    private static string? ClientContextOf(HttpContext http)
    {
        var header = http.Request.Headers["X-Amz-Client-Context"].FirstOrDefault();
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Why the payload is not JSON, in our words (line and byte), or null when it is.</summary>
    private static string? JsonProblem(byte[] payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload);
            return null;
        }
        catch (JsonException e)
        {
            return $"the payload is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}).";
        }
    }

    private static string Shown(string value) => value.Length <= 64 ? value : value[..64] + "...";

    /// <summary>Lambda's REST-JSON error: x-amzn-ErrorType names it (what SDKs read), the body has its message.</summary>
    private static async Task WriteErrorAsync(HttpContext http, int status, string type, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-ErrorType"] = type;
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("Type", "User");
            json.WriteString("message", message);
            json.WriteEndObject();
        }
        await http.Response.Body.WriteAsync(body.ToArray(), http.RequestAborted).ConfigureAwait(false);
    }
}
