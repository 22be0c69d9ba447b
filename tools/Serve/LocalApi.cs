using System.Diagnostics;
using System.Globalization;
using Functions.Tools.ApiGateway;
using Functions.Tools.Hosting;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Functions.Tools.Template;
using Functions.Tools.WebConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.Serve;

/// <summary>
/// The front door: an HTTP server that behaves like API Gateway HTTP API in front of Lambda. Each request is matched to
/// a route, turned into a payload 2.0 event, run on the route's function pool, and the function's result turned back
/// into HTTP; gateway failures answer the way API Gateway does (404, 413, 500, 503 with {"message":...}).
/// </summary>
public sealed class LocalApi : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly LocalApiOptions _options;
    private readonly ServeLog _log;
    private readonly InFlightBudget _budget;
    private volatile ApiState _state;
    private volatile bool _refusing;

    private LocalApi(WebApplication app, LocalApiOptions options, ApiState state, ServeLog log)
    {
        _app = app;
        _options = options;
        _state = state;
        _log = log;
        _budget = new InFlightBudget(options.Limits);
    }

    /// <summary>What this door holds in flight; the Invoke API shares it, so one bound covers both.</summary>
    public InFlightBudget Budget => _budget;

    /// <summary>Where it listens, with the real port when 0 was asked for.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Where the function URLs are served (see <see cref="FunctionUrls"/>); null when no port was given for them.</summary>
    public Uri? UrlAddress { get; private set; }

    public static async Task<LocalApi> StartAsync(LocalApiOptions options, ApiState state, ServeLog log, CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebApp.Create(kestrel =>
        {
            LoopbackWebApp.ListenAsFrontDoor(kestrel, options.Host, options.Port, status => Refused(log, status));
            if (options.UrlPort is { } urlPort)
            {
                LoopbackWebApp.ListenAsFrontDoor(kestrel, options.Host, urlPort, status => Refused(log, status));
            }
            // HTTP API's quota is 10,240 bytes of request line and header values, answered by the gateway itself (431
            // with its body); Kestrel's own limits sit above it, so they only ever refuse what the quota would.
            kestrel.Limits.MaxRequestLineSize = 2 * GatewayLimits.MaxRequestLineAndHeaderValuesBytes;
            kestrel.Limits.MaxRequestHeaderCount = 1000;
            // The gateway refuses large bodies with its own answer (MaxBodyBytes); Kestrel's 30 MB default must not get there first.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            // A function's header values pass as the UTF-8 it wrote (HTTP API does not refuse them); Kestrel's
            // ASCII-only default would turn "café" into a failed write.
            kestrel.ResponseHeaderEncodingSelector = _ => System.Text.Encoding.UTF8;
        });
        var api = new LocalApi(app, options, state, log);
        await LoopbackWebApp.StartFrontDoorAsync(app, api.HandleAsync,
            e => new UserError(options.UrlPort is { } urlPort
                ? $"Cannot listen on {options.Host}:{options.Port} (the API) and :{urlPort} (function URLs): {e.Message.TrimEnd('.')}. Is another server using one of them? Pick them with --port and --url-port."
                : $"Cannot listen on {options.Host}:{options.Port}: {e.Message.TrimEnd('.')}. Is another server using the port? Pick one with --port.", inner: e),
            cancellationToken).ConfigureAwait(false);
        var addresses = app.ListeningAddresses();
        api.Address = addresses[0];
        // localhost listens on 127.0.0.1 and ::1 alike: the URLs' address is the first on another port.
        api.UrlAddress = options.UrlPort is null ? null : addresses.First(a => a.Port != api.Address.Port);
        return api;
    }

    /// <summary>Routes and pools after the template changed (--watch); requests already running finish on the pools they started on.</summary>
    public void Use(ApiState state) => _state = state;

    public async ValueTask DisposeAsync()
    {
        // Requests in flight wait on invocations that only end when the pools stop, after this: do not wait long.
        using var grace = new CancellationTokenSource(ShutdownGrace);
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _budget.Dispose();
    }

    /// <summary>
    /// The largest body worth reading: HTTP API takes 10 MB, but the event that carries a body is at least as large as
    /// the body, and Lambda refuses events over 6 MB, so a larger body can only ever get 413.
    /// </summary>
    public const int MaxBodyBytes = RuntimeApiServer.MaxEventBytes;

    /// <summary>
    /// The entry point. Whatever escapes <see cref="AnswerAsync"/> is a bug of serve's, not the caller's: it still
    /// gets the gateway's own 500 (with a request id, as HTTP API answers its failures) rather than Kestrel's empty
    /// one, and the log says what happened in one line, then the access line.
    /// </summary>
    private async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await AnswerAsync(http).ConfigureAwait(false);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left, and answering it is what failed: nobody to answer, nothing of serve's to report.
            _log.Access(http.Request.Method, http.Request.Path, 499, Elapsed(started), "-");
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            // The body broke HTTP's framing while it was read (a bad chunk, fewer bytes than declared): the caller's
            // fault, answered as the gateway answers a request it cannot read.
            _log.Error("gateway", $"{http.Request.Method} {http.Request.Path}: the request body could not be read: {e.Message.ReplaceLineEndings(" ")}");
            var answer = GatewayErrors.Unreadable(e.StatusCode, NewRequestId());
            await answer.WriteToAsync(http.Response, http.RequestAborted).ConfigureAwait(false);
            _log.Access(http.Request.Method, http.Request.Path + http.Request.QueryString, answer.StatusCode, Elapsed(started), "-");
        }
        catch (Exception e)
        {
            _log.Error("gateway", $"{http.Request.Method} {http.Request.Path} failed in serve, answered 500: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            try
            {
                if (!http.Response.HasStarted)
                {
                    http.Response.Clear();
                    await GatewayErrors.InternalServerError(NewRequestId()).WriteToAsync(http.Response, http.RequestAborted).ConfigureAwait(false);
                }
            }
            finally
            {
                _log.Access(http.Request.Method, http.Request.Path + http.Request.QueryString, 500, Elapsed(started), "-");
            }
        }
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = NewRequestId();
        var state = _state;
        string temperature = "-";
        GatewayResponse response;
        GatewayRequest? head = null;
        var preflight = false;
        JwtContext? jwt = null;
        FunctionPool? pool = null;
        var viaUrl = UrlAddress is { } urls && http.Connection.LocalPort == urls.Port;
        TemplateFunctionUrl? url = null;
        RouteMatch? match = null;
        // With a console page listing the traffic, the event and the log are kept for it to open.
        var tail = _log.KeepsDetails ? new LogTail() : null;
        string? shownEvent = null;
        try
        {
            head = GatewayRequest.FromHttpRequest(http.Request);
            var headBytes = GatewayLimits.RequestLineAndHeaderValuesBytes(head);
            if (headBytes <= GatewayLimits.MaxRequestLineAndHeaderValuesBytes && !head.HasEncodedSlash)
            {
                if (!viaUrl)
                {
                    match = state.Routes.Match(head.Method, head.Path);
                }
                else if (state.Urls.Find(head) is var (found, forFunction))
                {
                    (url, head, match) = (found, forFunction, FunctionUrls.MatchFor(found));
                }
            }
            if (headBytes > GatewayLimits.MaxRequestLineAndHeaderValuesBytes)
            {
                _budget.NoteAnswered();
                _log.Error("gateway", $"{head.Method} {Shown(head.RawPath)} 431: the request line and header values are {headBytes} bytes, over HTTP API's {GatewayLimits.MaxRequestLineAndHeaderValuesBytes}.");
                response = GatewayErrors.RequestHeaderFieldsTooLarge(requestId);
            }
            // The gateway, or Lambda for a URL, answers it: no route or function needed, and no signature (browsers send none).
            else if (CorsOf(state, viaUrl, url) is { } cors && CorsPolicy.IsPreflight(head))
            {
                response = cors.Preflight(head, requestId);
                preflight = true;
            }
            else if (match is null || (pool = state.Pools.GetValueOrDefault(match.Route.FunctionLogicalId)) is null && state.Building?.Of(match.Route.FunctionLogicalId) is null)
            {
                if (viaUrl)
                {
                    _log.Error("urls", $"{head.Method} {Shown(head.RawPath)} 404: {(state.Urls.IsEmpty ? "no function has a URL" : "the path starts with no function's name: " + string.Join(", ", state.Urls.All.Select(u => "/" + u.Name + "/")))}.");
                }
                response = GatewayErrors.NotFound(requestId);
            }
            // An AWS_IAM URL takes signed requests only; serve takes any credentials, so it checks the signature's shape.
            else if (url is { NeedsSignature: true } && Auth.SigV4Shape.Check(http.Request.Headers) is { Fault: not Auth.SigV4Fault.None } unsigned)
            {
                _budget.NoteAnswered();
                _log.Error("urls", $"{head.Method} {Shown(http.Request.Path)} 403: the URL's auth type is AWS_IAM and the request is not signed with SigV4 ({unsigned.Detail ?? "no Authorization header"}). "
                    + "Sign it with any credentials, e.g. curl --aws-sigv4 aws:amz:us-east-1:lambda -u local:local.");
                response = GatewayErrors.Forbidden(requestId);
            }
            // A route with an authorizer: refused here (401, 403), or accepted with the token's claims kept for the event.
            else if (match.Route.Authorization is { } authorization
                     && await AuthorizeAsync(state, head, authorization, context => jwt = context).ConfigureAwait(false) is { Context: null } refused)
            {
                _budget.NoteAnswered();
                _log.Error("gateway", $"{head.Method} {head.Path} {refused.Status}: {refused.Reason}.{Hint(state, refused, authorization)}");
                response = refused.Status == 403 ? GatewayErrors.Forbidden(requestId) : GatewayErrors.Unauthorized(requestId, refused.Reason);
            }
            else if (pool is null && await BuiltAsync(state, match.Route.FunctionLogicalId, http.RequestAborted).ConfigureAwait(false) is var (built, notBuilt) && (pool = built) is null)
            {
                _budget.NoteAnswered();
                response = GatewayErrors.LocalServiceUnavailable(requestId, notBuilt!);
            }
            else if (state.Unavailable(match.Route.FunctionLogicalId) is { } unavailable)
            {
                _budget.NoteAnswered();
                response = GatewayErrors.LocalServiceUnavailable(requestId, unavailable);
            }
            else if (http.Request.ContentLength > MaxBodyBytes)
            {
                _log.Error(pool.Name, $"The body is {http.Request.ContentLength} bytes, refused unread: its event would be over {RuntimeApiServer.MaxEventBytes} bytes ({RuntimeApiServer.EventTooLarge}).");
                _budget.NoteAnswered();
                response = GatewayErrors.PayloadTooLarge(requestId);
            }
            else if (_budget.TryEnter(DeclaredBodyBytes(http.Request)) is not { } lease)
            {
                NoteRefusal();
                _budget.NoteAnswered();
                response = GatewayErrors.ServiceUnavailable(requestId);
            }
            else
            {
                using (lease)
                {
                    _refusing = false;
                    var traceRoot = EventBuilder.TraceRootOf(head);
                    var iam = url is { NeedsSignature: true } ? IamContext.FromAuthorization(http.Request.Headers.Authorization) : null;
                    var payload = await ToEventAsync(http.Request, head, match, requestId, traceRoot, jwt, iam, http.RequestAborted).ConfigureAwait(false);
                    lease.Resize(payload.Length);
                    shownEvent = tail is null ? null : RequestDetail.Shown(payload.Span);
                    if (payload.Length > RuntimeApiServer.MaxEventBytes)
                    {
                        // Lambda refuses the event before any function runs; HTTP API answers the caller 413.
                        _log.Error(pool.Name, $"The event is {payload.Length} bytes: {RuntimeApiServer.EventTooLarge}.");
                        response = GatewayErrors.PayloadTooLarge(requestId);
                    }
                    else if (url is { Streams: true })
                    {
                        var (status, streamed) = await StreamedHttpAnswer.WriteAsync(http, pool, payload, requestId, new CallerContext(traceRoot) { Tail = tail }, _log, cors: url.Cors is { } urlCors ? (urlCors, head) : null).ConfigureAwait(false);
                        _log.Access(http.Request.Method, http.Request.Path + http.Request.QueryString, status, Elapsed(started), streamed,
                            Detail(requestId, pool, shownEvent, new GatewayResponse(status, [], "(streamed to the client as it came)"u8.ToArray()), tail));
                        return;
                    }
                    else
                    {
                        (response, temperature) = await InvokeAsync(pool, payload, requestId, new CallerContext(traceRoot) { Tail = tail }).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (PayloadTooLargeException)
        {
            response = GatewayErrors.PayloadTooLarge(requestId);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            _log.Access(http.Request.Method, http.Request.Path, 499, Elapsed(started), temperature);
            return;
        }
        if (CorsOf(state, viaUrl, url) is { } policy && head is not null && !preflight)
        {
            response = policy.Apply(head, response);
        }
        try
        {
            await response.WriteToAsync(http.Response, http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client left; there is nobody to answer.
        }
        // Kestrel refuses what HTTP cannot carry (a CR or LF in a header value, a name that is not a token): the
        // response has not started, so the caller still gets the gateway's 500 rather than a bare one or none.
        catch (InvalidOperationException e) when (!http.Response.HasStarted)
        {
            _log.Error("gateway", $"The function's response cannot be sent over HTTP: {e.Message}");
            http.Response.Clear();
            response = GatewayErrors.InternalServerError(requestId);
            await response.WriteToAsync(http.Response, http.RequestAborted).ConfigureAwait(false);
        }
        _log.Access(http.Request.Method, http.Request.Path + http.Request.QueryString, response.StatusCode, Elapsed(started), temperature,
            Detail(requestId, pool, shownEvent, response, tail));
    }

    /// <summary>What the request carried, for a console page; null when none listens (nothing made for nobody).</summary>
    private RequestDetail? Detail(string requestId, FunctionPool? pool, string? shownEvent, GatewayResponse response, LogTail? tail) =>
        tail is null ? null : new RequestDetail(requestId, pool?.Name, shownEvent, response.StatusCode, response.Headers, RequestDetail.Shown(response.Body), tail.ToString());

    /// <summary>
    /// Reads the body and writes the event around it; the body is freed as soon as the event exists, so while the
    /// request waits for an instance the event is the one copy of the body it holds.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ToEventAsync(
        HttpRequest http, GatewayRequest head, RouteMatch match, string requestId, string traceRoot, JwtContext? jwt, IamContext? iam, CancellationToken cancellationToken)
    {
        using var body = await CappedBody.ReadNativeAsync(http.Body, MaxBodyBytes, http.ContentLength, cancellationToken).ConfigureAwait(false)
            ?? throw new PayloadTooLargeException(MaxBodyBytes);
        return EventBuilder.ToEvent(head with { Body = body.Memory }, match, requestId, DateTimeOffset.UtcNow, traceRoot, jwt, iam);
    }

    /// <summary>
    /// The pool of a function serve is still building, once built, waited for within the integration timeout (as
    /// API Gateway waits for a function); else null and what to tell the caller.
    /// </summary>
    private async Task<(FunctionPool? Pool, string? NotBuilt)> BuiltAsync(ApiState state, string logicalId, CancellationToken aborted)
    {
        var build = state.Building!.Of(logicalId)!;
        try
        {
            return (await build.WaitAsync(_options.IntegrationTimeout, aborted).ConfigureAwait(false), null);
        }
        catch (TimeoutException)
        {
            return (null, state.Building.StillBuilding(logicalId));
        }
        catch (FunctionNotBuiltException e)
        {
            return (null, $"{e.Message} (serve's log says why).");
        }
    }

    /// <summary>The route's JWT authorizer, as HTTP API runs it before the integration; an accepted token's claims go to <paramref name="accepted"/>.</summary>
    private static async Task<AuthorizationOutcome> AuthorizeAsync(ApiState state, GatewayRequest head, RouteAuthorization authorization, Action<JwtContext> accepted)
    {
        var outcome = state.Authorizer is { } authorizer
            ? await authorizer.AuthorizeAsync(head, authorization).ConfigureAwait(false)
            : AuthorizationOutcome.Unauthorized("serve has no keys for the JWT authorizer");
        if (outcome.Context is { } context)
        {
            accepted(context);
        }
        return outcome;
    }

    /// <summary>What to do about a refusal, for the log line (the caller only gets HTTP API's answer).</summary>
    private static string Hint(ApiState state, AuthorizationOutcome outcome, RouteAuthorization authorization)
    {
        if (state.Authorizer is not { UsesDevIssuer: true })
        {
            return $" Send a token from {authorization.Authorizer.Issuer} (serve checks it with {state.Authorizer?.KeysDescription ?? "no keys"}).";
        }
        var command = Commands.TokenCommand.CommandFor(outcome.Status == 403 ? authorization.Scopes : authorization.Scopes.Take(1));
        return outcome.Status == 403 ? $" Mint one with: {command}" : $" Send Authorization: Bearer $({command})";
    }

    /// <summary>
    /// What a request's body may hold, before it is read: its Content-Length; nothing when it can have no body (a GET
    /// without Content-Length or chunking); the most a body may be when it is chunked.
    /// </summary>
    private static long DeclaredBodyBytes(HttpRequest request) =>
        request.ContentLength
        ?? (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false ? 0 : MaxBodyBytes);

    /// <summary>One line when serve starts refusing (not one per request: the access log has those).</summary>
    private void NoteRefusal()
    {
        if (!_refusing)
        {
            _refusing = true;
            var limits = _budget.Limits;
            _log.Error("gateway", $"At the in-flight bound ({limits.MaxRequests} requests or {limits.MaxBytes / (1024 * 1024)} MiB of bodies): answering 503 until requests finish.");
        }
    }

    /// <summary>
    /// The integration: the function's answer within the integration timeout, else 503 (the invocation goes on, as it
    /// does on Lambda, and its instance stays busy until it ends). Any failure of the function itself is a 500.
    /// </summary>
    private async Task<(GatewayResponse, string)> InvokeAsync(FunctionPool pool, ReadOnlyMemory<byte> payload, string requestId, CallerContext caller)
    {
        // One deadline for both: waiting in the queue for an instance, and waiting for the answer.
        using var integrationTimeout = new CancellationTokenSource(_options.IntegrationTimeout);
        var invocation = pool.InvokeAsync(payload, integrationTimeout.Token, caller);
        InvocationReport report;
        try
        {
            report = await invocation.WaitAsync(integrationTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Past the integration timeout (or the pool stopped): a queued request is dropped, a running one goes on.
            _ = invocation.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted); // Observed: the caller had its 503.
            return (GatewayErrors.ServiceUnavailable(requestId), "-");
        }
        catch (InstanceStartException e)
        {
            // The bootstrap could not even start (deleted by a rebuild, not executable): the gateway sees a 500.
            _log.Error(pool.Name, e.Message);
            return (GatewayErrors.InternalServerError(requestId), "-");
        }
        return (Answer(report, requestId, pool, _log), report.Cold ? "cold" : "warm");
    }

    /// <summary>What the caller gets for a finished invocation's answer: the function's response mapped, or the gateway's 500.</summary>
    internal static GatewayResponse Answer(InvocationReport report, string requestId, FunctionPool pool, ServeLog log)
    {
        if (!report.Outcome.IsSuccess)
        {
            return GatewayErrors.InternalServerError(requestId);
        }
        try
        {
            return ResponseMapper.ToResponse(report.Outcome.Payload).WithRequestId(requestId);
        }
        catch (InvalidFunctionResponseException e)
        {
            log.Error(pool.Name, $"Invalid response from the function: {e.Message}");
            return GatewayErrors.InternalServerError(requestId);
        }
    }

    /// <summary>A path quoted in a log line: bounded and on one line, so an oversize request cannot flood the log.</summary>
    private static string Shown(string path) => ShownText.Of(path, 200);

    /// <summary>The CORS in effect: the API's for a route, the URL's own for a function URL.</summary>
    private static CorsPolicy? CorsOf(ApiState state, bool viaUrl, TemplateFunctionUrl? url) => viaUrl ? url?.Cors : state.Cors;

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>API Gateway's request ids look like "JQmVXgPaoAMEJbg=": 10 random bytes in base64.</summary>
    private static string NewRequestId() => UniqueIds.Base64(10);

    /// <summary>Kestrel's own refusal of a request it could not read (line or headers over its limits, not HTTP), answered as the gateway.</summary>
    private static RefusalAnswer Refused(ServeLog log, int status)
    {
        var response = GatewayErrors.Unreadable(status, NewRequestId());
        log.Error("gateway", status is 414 or 431
            ? $"Refused unread: the request line and headers are over Kestrel's limits, far past HTTP API's {GatewayLimits.MaxRequestLineAndHeaderValuesBytes} bytes ({response.StatusCode})."
            : $"Refused unread: the request is not HTTP serve can read ({response.StatusCode}).");
        return new RefusalAnswer(response.StatusCode, response.Headers.Select(h => $"{h.Key}: {h.Value}").ToList(), response.Body);
    }
}

/// <summary>What the front door needs besides routes: where to listen, how long the integration waits, how much it holds.</summary>
public sealed record LocalApiOptions(string Host, int Port, TimeSpan IntegrationTimeout)
{
    public InFlightLimits Limits { get; init; } = InFlightLimits.Default;

    /// <summary>Where the function URLs are served, beside the API (0: a free port); null: nowhere.</summary>
    public int? UrlPort { get; init; }
}

/// <summary>The routes and the function pool behind each route's integration (by the function's logical id).</summary>
public sealed record ApiState(RouteTable Routes, IReadOnlyDictionary<string, FunctionPool> Pools)
{
    /// <summary>The API's CORS configuration from the template, applied by the gateway; null when it has none.</summary>
    public CorsPolicy? Cors { get; init; }

    /// <summary>Checks tokens for the routes that need one (null when no route does).</summary>
    public JwtAuthorizer? Authorizer { get; init; }

    /// <summary>Why a function (by logical id) cannot run now, e.g. its table's DynamoDB is restarting; null when it can.</summary>
    public Func<string, string?> Unavailable { get; init; } = _ => null;

    /// <summary>The functions still building since serve started listening; null when every one was built first.</summary>
    public PendingBuilds? Building { get; init; }

    /// <summary>The function URLs, served on their own port.</summary>
    public FunctionUrls Urls { get; init; } = FunctionUrls.None;
}
