using System.Globalization;
using Functions.Tools.ApiGateway;
using Functions.Tools.Auth;
using Functions.Tools.Instances;
using Functions.Tools.Invoke;
using Functions.Tools.Local;
using Functions.Tools.Scheduling;
using Functions.Tools.Template;

namespace Functions.Tools.Serve;

/// <summary>
/// The whole API on this machine, from the synthesized template: the local session (Runtime API emulator, DynamoDB,
/// tables), one instance pool per function behind a route, and the front door. With --watch, rebuilt functions and a
/// re-read template replace what serves the next request.
/// </summary>
public sealed class LocalServer : IAsyncDisposable, WebConsole.IConsoleSource
{
    private readonly Repository _repository;
    private readonly ServeOptions _options;
    private readonly ServeLog _log;
    private readonly LocalSession _session;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Dictionary<string, FunctionPool> _pools;
    private LocalApi? _api;
    private InvokeApi? _invoke;
    private JwtAuthorizer? _authorizer;
    private Task _firstBuilds = Task.CompletedTask;

    /// <summary>Completes when every function has been built (or failed to) since serve started listening.</summary>
    public Task FirstBuilds => _firstBuilds;
    private readonly CancellationTokenSource _stopping = new();

    private LocalServer(Repository repository, ServeOptions options, ServeLog log, LocalSession session, RouteTable routes, Dictionary<string, FunctionPool> pools)
    {
        _repository = repository;
        _options = options;
        _log = log;
        _session = session;
        Routes = routes;
        _pools = pools;
    }

    public Uri Address => _api!.Address;

    /// <summary>Where Lambda's Invoke API listens, for SDK clients (endpoint) and the AWS CLI (--endpoint-url).</summary>
    public Uri InvokeAddress => _invoke!.Address;

    /// <summary>Where the function URLs are served; null when the template has none.</summary>
    public Uri? UrlAddress => _api!.UrlAddress;

    /// <summary>The function URLs by function name, as the front door serves them.</summary>
    public IReadOnlyList<(string Name, TemplateFunctionUrl Url)> FunctionUrls => UrlsOf(_session.Template).All;
    public RouteTable Routes { get; private set; }

    /// <summary>Where the JWT authorizer's keys come from, for the banner.</summary>
    public string AuthorizerKeys => _authorizer?.KeysDescription ?? "no keys";
    public string Storage => _session.Storage;

    /// <summary>The run's cgroups, or why instances run unshaped: for the banner.</summary>
    public Limits.ResourceLimits Limits => _session.Limits;

    /// <summary>"CPU: Lambda-shaped (cgroup v1), 256 MB = 14.5 % of a vCPU; ..." for the sizes of the functions served.</summary>
    public string DescribeLimits()
    {
        var sizes = Served(_session.Template, Routes).Select(f => f.MemoryMb).Distinct().Order().ToList();
        return sizes.Count == 1 || !Limits.IsShaped
            ? Limits.Describe(sizes.Count == 1 ? sizes[0] : null)
            : $"{Limits.Describe()} ({string.Join(", ", sizes.Select(Functions.Tools.Limits.LambdaShape.Describe))})";
    }

    /// <summary>How the functions are built and run, for the console: "aot", "aot, arm64 under qemu-aarch64".</summary>
    public string Build => _options.Local.Describe();

    /// <summary>The functions served now, each with its routes, URL, settings, tables and pool, for the console.</summary>
    public IReadOnlyList<WebConsole.ConsoleFunction> ServedFunctions()
    {
        var (template, routes, pools) = (_session.Template, Routes, _pools);
        return [.. Served(template, routes).Select(function => new WebConsole.ConsoleFunction(
            function.Name,
            [.. routes.Routes.Where(r => r.FunctionLogicalId == function.LogicalId).Select(r => (r.RouteKey, Access(r.Authorization)))],
            template.FunctionUrls.FirstOrDefault(u => u.FunctionLogicalId == function.LogicalId) is { } url ? $"{url.AuthType}, {url.InvokeMode}" : null,
            function.MemoryMb,
            function.Timeout.TotalSeconds,
            [.. template.TablesUsedBy(function).Select(t => t.Name ?? t.LogicalId)],
            pools.TryGetValue(function.LogicalId, out var pool) ? pool.Activity : null))];
    }

    /// <summary>The pool that runs the function of that name, for the console; null while it builds, or for no such function.</summary>
    public FunctionPool? Pool(string function) =>
        _session.Template.Functions.FirstOrDefault(f => f.Name == function) is { } found && _pools.TryGetValue(found.LogicalId, out var pool) ? pool : null;

    public Task<string?> GeneratedEventAsync(string function) =>
        _session.Template.Functions.FirstOrDefault(f => f.Name == function) is { } found
            ? GeneratedEvent.ForAsync(found, Routes, UrlsOf(_session.Template), _authorizer, _repository)
            : Task.FromResult<string?>(null);

    private static string Access(RouteAuthorization? authorization) => authorization switch
    {
        null => "open",
        { Scopes.Count: 0 } => "token",
        _ => $"token: {string.Join(" or ", authorization.Scopes)}",
    };

    /// <summary>The function each route runs, by the function's logical id.</summary>
    public string FunctionName(TemplateRoute route) =>
        _session.Template.Functions.FirstOrDefault(f => f.LogicalId == route.FunctionLogicalId)?.Name ?? route.FunctionLogicalId;

    public static async Task<LocalServer> StartAsync(Repository repository, ServeOptions options, ServeLog log, CancellationToken cancellationToken)
    {
        // A JWKS serve cannot use is refused before anything starts.
        var keys = options.Jwks is { } jwks ? await IssuerKeys.LoadAsync(jwks, cancellationToken).ConfigureAwait(false) : null;
        var template = await new TemplateSource(repository).LoadAsync(cancellationToken).ConfigureAwait(false);
        var routes = RouteTable.Create(template.Routes);
        var session = await LocalSession.StartAsync(repository, template, Served(template, routes), options.Local, cancellationToken,
            notice: line => log.Error("dynamodb", line)).ConfigureAwait(false);
        var server = new LocalServer(repository, options, log, session, routes, new Dictionary<string, FunctionPool>(StringComparer.Ordinal));
        try
        {
            server._authorizer = keys is null ? null : new JwtAuthorizer(keys);
            // Listening first, building after: a route answers as soon as its own function is built, and a request to
            // one still building waits for it (LocalApi), instead of every route waiting for every build.
            var pending = new PendingBuilds();
            foreach (var function in BuildOrder(Served(template, routes), routes))
            {
                pending.Expect(function.LogicalId, function.Name);
            }
            server._api = await LocalApi.StartAsync(
                new LocalApiOptions(options.Host, options.Port, options.IntegrationTimeout) { Limits = options.InFlight, UrlPort = template.FunctionUrls.Count > 0 ? options.UrlPort : null },
                server.StateOf(template, routes, server._pools, pending), log, cancellationToken).ConfigureAwait(false);
            server._invoke = await InvokeApi.StartAsync(options.Host, options.InvokePort, ByName(template, server._pools), log, server._api.Budget, cancellationToken).ConfigureAwait(false);
            server._invoke.Use(ByName(template, server._pools), PendingNames(template, pending, server._pools));
            server._firstBuilds = server.BuildFirstAsync(template, routes, pending, server._stopping.Token);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Rebuilds what changed and re-reads the template when infra changed; a failed build keeps the old binary serving.</summary>
    public async Task RefreshAsync(SourceChanges changes, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var template = _session.Template;
            var templateChanged = false;
            if (changes.Template)
            {
                var source = new TemplateSource(_repository);
                template = await source.LoadAsync(cancellationToken).ConfigureAwait(false);
                templateChanged = source.Synthesized;
                if (templateChanged)
                {
                    _log.Info("infra/ or a function's declaration changed: template synthesized again.");
                    await _session.AdoptAsync(template, cancellationToken).ConfigureAwait(false);
                }
            }
            var routes = RouteTable.Create(template.Routes);
            var previous = _pools;
            var pools = await PreparePoolsAsync(template, routes, templateChanged, cancellationToken).ConfigureAwait(false);
            _api!.Use(StateOf(template, routes, pools));
            _invoke!.Use(ByName(template, pools));
            (_pools, Routes) = (pools, routes);
            foreach (var (id, pool) in previous.Where(p => !pools.ContainsKey(p.Key)))
            {
                _log.Info($"{pool.Name} is no longer behind a route: stopped.");
                await pool.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anything short of stopping keeps the server up: a half-saved file, an editor's lock file, a bad template.
            _log.Info($"Not reloaded, still serving the previous build: {e.Message}");
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>
    /// The first builds, one function after another in <see cref="BuildOrder"/>, each served as soon as it is built.
    /// A function that does not build is reported and refused (503 with the reason) while the others go on.
    /// </summary>
    private async Task BuildFirstAsync(CdkTemplate template, RouteTable routes, PendingBuilds pending, CancellationToken stopping)
    {
        await _refreshing.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            var order = BuildOrder(Served(template, routes), routes);
            var failed = 0;
            foreach (var function in order)
            {
                try
                {
                    var (spec, _) = await BuildAsync(function, $": {function.Name} is served", stopping).ConfigureAwait(false);
                    var pool = NewPool(function, spec);
                    _pools = new Dictionary<string, FunctionPool>(_pools, StringComparer.Ordinal) { [function.LogicalId] = pool };
                    _api!.Use(StateOf(template, routes, _pools, pending));
                    _invoke!.Use(ByName(template, _pools), PendingNames(template, pending, _pools));
                    pending.Built(function.LogicalId, pool);
                }
                catch (BuildException e)
                {
                    failed++;
                    _log.Error(function.Name, $"not served: {e.Message}");
                    pending.Failed(function.LogicalId, e.Message);
                }
            }
            _api!.Use(StateOf(template, routes, _pools));
            _invoke!.Use(ByName(template, _pools));
            _log.Info(failed == 0
                ? $"All {order.Count} functions are built and served."
                : $"{order.Count - failed} of {order.Count} functions are built and served; {failed} did not build (above).");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // serve is stopping.
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>
    /// The order of the first builds: the functions a person tries first, first. Reads (GET) before writes, which
    /// need a token and an item to act on; then by route, so /hello, the README's first request, comes early.
    /// </summary>
    internal static IReadOnlyList<TemplateFunction> BuildOrder(IReadOnlyList<TemplateFunction> functions, RouteTable routes)
    {
        static int MethodRank(string method) => method switch
        {
            "GET" or "ANY" => 0,
            "POST" => 1,
            "PUT" or "PATCH" => 2,
            "DELETE" => 3,
            _ => 4,
        };
        static (int Rank, string Path) Key(TemplateRoute route) =>
            route.RouteKey.Split(' ', 2) is [var method, var path] ? (MethodRank(method), path) : (MethodRank("ANY"), route.RouteKey);
        return functions
            // A function with a URL and no route comes after the routed ones.
            .Select(f => (Function: f, Route: routes.Routes.Where(r => r.FunctionLogicalId == f.LogicalId).Select(Key).Order().DefaultIfEmpty((Rank: MethodRank(""), Path: "")).First()))
            .OrderBy(x => x.Route.Rank).ThenBy(x => x.Route.Path.Length).ThenBy(x => x.Route.Path, StringComparer.Ordinal)
            .Select(x => x.Function)
            .ToList();
    }

    private static IReadOnlySet<string> PendingNames(CdkTemplate template, PendingBuilds pending, IReadOnlyDictionary<string, FunctionPool> pools) =>
        template.Functions.Where(f => pending.Of(f.LogicalId) is { IsCompleted: false } && !pools.ContainsKey(f.LogicalId))
            .SelectMany(f => InvokeApi.NamesOf(f.Name, f.LogicalId)).ToHashSet(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _firstBuilds.ConfigureAwait(false);
        if (_invoke is not null)
        {
            await _invoke.DisposeAsync().ConfigureAwait(false);
        }
        if (_api is not null)
        {
            await _api.DisposeAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(_pools.Values.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
        _refreshing.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Builds every served function (skipped when unchanged) and keeps a pool per function, replacing the binary of rebuilt ones.</summary>
    private async Task<Dictionary<string, FunctionPool>> PreparePoolsAsync(CdkTemplate template, RouteTable routes, bool templateChanged, CancellationToken cancellationToken)
    {
        var pools = new Dictionary<string, FunctionPool>(StringComparer.Ordinal);
        try
        {
            await AddPoolsAsync(pools, template, routes, templateChanged, cancellationToken).ConfigureAwait(false);
            return pools;
        }
        catch
        {
            // Pools made for this attempt only; the ones serving now stay.
            foreach (var created in pools.Values.Where(p => !_pools.ContainsValue(p)))
            {
                await created.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    private async Task AddPoolsAsync(Dictionary<string, FunctionPool> pools, CdkTemplate template, RouteTable routes, bool templateChanged, CancellationToken cancellationToken)
    {
        foreach (var function in Served(template, routes))
        {
            var (spec, build) = await BuildAsync(function, "", cancellationToken).ConfigureAwait(false);
            if (_pools.TryGetValue(function.LogicalId, out var pool))
            {
                if (!build.UpToDate || templateChanged)
                {
                    pool.Replace(spec);
                }
                pools[function.LogicalId] = pool;
            }
            else
            {
                pools[function.LogicalId] = NewPool(function, spec);
            }
        }
    }

    /// <summary>Builds the function (skipped when unchanged), saying so in serve's log; <paramref name="built"/> ends the "built" line.</summary>
    private async Task<(FunctionSpec Spec, BuildResult Build)> BuildAsync(TemplateFunction function, string built, CancellationToken cancellationToken)
    {
        var (spec, build) = await _session.PrepareBuildAsync(function, null, cancellationToken,
            building: () => _log.Info($"building {function.Name} ({_options.Local.Describe()})...")).ConfigureAwait(false);
        if (!build.UpToDate)
        {
            _log.Info(string.Create(CultureInfo.InvariantCulture, $"built {build.Request} in {build.Elapsed.TotalSeconds:0.0} s{built}"));
        }
        return (spec, build);
    }

    /// <summary>A pool for the function, its lines in serve's log under its name.</summary>
    private FunctionPool NewPool(TemplateFunction function, FunctionSpec spec) =>
        new(spec, _session.RuntimeApi, new PoolSettings(_options.MaxConcurrency, _options.IdleTimeout), line => _log.Function(function.Name, line));

    /// <summary>Every pool under each name the Invoke API takes for it: the function's name and its logical id.</summary>
    private static Dictionary<string, FunctionPool> ByName(CdkTemplate template, IReadOnlyDictionary<string, FunctionPool> pools)
    {
        var byName = new Dictionary<string, FunctionPool>(StringComparer.Ordinal);
        foreach (var function in template.Functions)
        {
            if (pools.TryGetValue(function.LogicalId, out var pool))
            {
                foreach (var name in InvokeApi.NamesOf(function.Name, function.LogicalId))
                {
                    byName[name] = pool;
                }
            }
        }
        return byName;
    }

    /// <summary>The front door's view: routes, pools, and which functions wait on the session's DynamoDB.</summary>
    private ApiState StateOf(CdkTemplate template, RouteTable routes, IReadOnlyDictionary<string, FunctionPool> pools, PendingBuilds? pending = null)
    {
        var usingTables = template.Functions.Where(f => template.TablesUsedBy(f).Any()).Select(f => f.LogicalId).ToHashSet(StringComparer.Ordinal);
        if (_authorizer is null && routes.Routes.Any(r => r.Authorization is not null))
        {
            // No --jwks: the dev issuer stands in for the template's issuer, so ./fn token's tokens pass.
            _authorizer = new JwtAuthorizer(IssuerKeys.Of(DevIssuer.Open(_repository), Path.GetRelativePath(_repository.Root, DevIssuer.FolderOf(_repository))));
        }
        return new ApiState(routes, pools)
        {
            Authorizer = _authorizer,
            Cors = template.Cors,
            Unavailable = logicalId => usingTables.Contains(logicalId) ? _session.StorageUnavailable : null,
            Building = pending,
            Urls = UrlsOf(template),
        };
    }

    /// <summary>The functions behind a route or a function URL.</summary>
    private static IReadOnlyList<TemplateFunction> Served(CdkTemplate template, RouteTable routes) =>
        template.Functions.Where(f => routes.Routes.Any(r => r.FunctionLogicalId == f.LogicalId) || template.FunctionUrls.Any(u => u.FunctionLogicalId == f.LogicalId)).ToList();

    /// <summary>Each function URL under its function's name.</summary>
    private static FunctionUrls UrlsOf(CdkTemplate template) =>
        new(template.FunctionUrls.Select(u => (template.Functions.FirstOrDefault(f => f.LogicalId == u.FunctionLogicalId)?.Name ?? u.FunctionLogicalId, u)));
}

/// <summary>./fn serve's settings.</summary>
public sealed record ServeOptions(
    string Host,
    int Port,
    LocalOptions Local,
    int MaxConcurrency,
    TimeSpan IntegrationTimeout,
    TimeSpan IdleTimeout)
{
    /// <summary>
    /// Where the Invoke API listens: given, or the port after the API's (3001 by default, `sam local start-lambda`'s,
    /// so an SDK set up for SAM finds it), or a free one when the API's port is 0.
    /// </summary>
    public int? RequestedInvokePort { get; init; }

    public int InvokePort => RequestedInvokePort ?? (Port is 0 or 65535 ? 0 : Port + 1);

    /// <summary>Where the function URLs are served (see <see cref="FunctionUrls"/>): given, or two after the API's port (3002), or a free one when the API's port is 0.</summary>
    public int? RequestedUrlPort { get; init; }

    public int UrlPort => RequestedUrlPort ?? (Port is 0 or >= 65534 ? 0 : Port + 2);

    /// <summary>Where the console listens: given, or three after the API's port (3003), or a free one when the API's port is 0; null: no console.</summary>
    public int? RequestedConsolePort { get; init; }

    public bool Console { get; init; } = true;

    public int ConsolePort => RequestedConsolePort ?? (Port is 0 or >= 65533 ? 0 : Port + 3);

    /// <summary>The console's address: loopback whatever --host says, unless asked otherwise (--console-host).</summary>
    public string ConsoleHost { get; init; } = "127.0.0.1";

    /// <summary>A real issuer's JWKS (file or URL) to check tokens with, instead of the dev issuer's key.</summary>
    public string? Jwks { get; init; }

    /// <summary>What the front door holds at once before it answers 503.</summary>
    public InFlightLimits InFlight { get; init; } = InFlightLimits.Default;
}
