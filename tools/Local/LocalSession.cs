using Functions.Tools.DynamoDb;
using Functions.Tools.Instances;
using Functions.Tools.Limits;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Template;

namespace Functions.Tools.Local;

/// <summary>
/// Everything a local run needs, started once and stopped together: the Runtime API emulator, the DynamoDB the
/// functions talk to (embedded dynalite unless another endpoint is given) with the template's tables, and built functions.
/// </summary>
public sealed class LocalSession : IAsyncDisposable
{
    private readonly Repository _repository;
    private readonly LocalOptions _options;
    private readonly Dynalite? _dynalite;

    private LocalSession(Repository repository, LocalOptions options, CdkTemplate template, RuntimeApiServer runtimeApi, Dynalite? dynalite, string? dynamoDbEndpoint, ResourceLimits limits)
    {
        Limits = limits;
        _repository = repository;
        _options = options;
        Template = template;
        RuntimeApi = runtimeApi;
        _dynalite = dynalite;
        DynamoDbEndpoint = dynamoDbEndpoint;
    }

    public CdkTemplate Template { get; private set; }

    /// <summary>
    /// Where the functions' tables live, for people: "dynalite, data in .fn/data, at http://127.0.0.1:PORT", "dynalite,
    /// in memory, at ...", or the endpoint; the address is for other tools (aws dynamodb ... --endpoint-url).
    /// </summary>
    public string Storage => _dynalite is null
        ? DynamoDbEndpoint ?? "no tables"
        : $"dynalite, {(_dynalite.DataDirectory is { } folder ? $"data in {Path.GetRelativePath(_repository.Root, folder)}" : "in memory")}, at {_dynalite.Endpoint}";
    public RuntimeApiServer RuntimeApi { get; }

    /// <summary>The run's cgroups (instances Lambda-shaped), or why the instances run unshaped.</summary>
    public ResourceLimits Limits { get; }

    /// <summary>Why the embedded DynamoDB cannot serve now (it died and is starting again), or null when it can.</summary>
    public string? StorageUnavailable => _dynalite?.Unavailable;
    public string? DynamoDbEndpoint { get; }

    /// <param name="notice">Where the embedded DynamoDB says it died and came back (serve's log); standard error when null.</param>
    public static async Task<LocalSession> StartAsync(
        Repository repository, CdkTemplate template, IReadOnlyList<TemplateFunction> functions, LocalOptions options, CancellationToken cancellationToken, Action<string>? notice = null)
    {
        // Before any process starts: a machine that cannot run the architecture says so at once, never hangs.
        Toolchain.Current.EnsureCanRun(options.Architecture);
        var tables = functions.SelectMany(template.TablesUsedBy).DistinctBy(t => t.LogicalId).ToList();
        Dynalite? dynalite = null;
        var endpoint = options.DynamoDbEndpoint;
        var runtimeApi = await RuntimeApiServer.StartAsync(options.StreamBandwidth, cancellationToken);
        try
        {
            if (tables.Count > 0)
            {
                if (endpoint is null)
                {
                    var dataDirectory = options.InMemory ? null : options.DataDirectory ?? Path.Combine(repository.State, "data");
                    dynalite = await Dynalite.StartAsync(dataDirectory, repository, cancellationToken, notice);
                    endpoint = dynalite.Endpoint;
                }
                await EnsureTablesAsync(endpoint, tables, cancellationToken);
            }
            // Under an emulator the process's CPU and memory are mostly the emulator's own: nothing to shape.
            var limits = options.Architecture.IsHost
                ? ResourceLimits.Open(options.Cpu)
                : ResourceLimits.Unshaped($"{options.Architecture.RunsHereAs}: the emulator's CPU and memory are not the function's");
            return new LocalSession(repository, options, template, runtimeApi, dynalite, endpoint, limits);
        }
        catch
        {
            await runtimeApi.DisposeAsync();
            if (dynalite is not null)
            {
                await dynalite.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>Builds the function for the host (skipped when unchanged) and says how to start it.</summary>
    public async Task<FunctionSpec> PrepareAsync(TemplateFunction function, TimeSpan? timeout, CancellationToken cancellationToken) =>
        (await PrepareBuildAsync(function, timeout, cancellationToken)).Spec;

    /// <summary>As <see cref="PrepareAsync"/>, with what the build did (skipped, or rebuilt and how long it took).</summary>
    public async Task<(FunctionSpec Spec, BuildResult Build)> PrepareBuildAsync(
        TemplateFunction function, TimeSpan? timeout, CancellationToken cancellationToken, BuildMode? mode = null, Action? building = null, string? framework = null)
    {
        var request = BuildRequest.For(_repository, function.Name, mode ?? _options.Mode, _options.Architecture, framework ?? _options.Framework);
        var build = await new FunctionBuilder(_repository, servers: _options.BuildServers).BuildAsync(request, cancellationToken, building, _options.Zipped);
        var environment = new Dictionary<string, string>(Template.ResolveEnvironment(function, out var unresolved), StringComparer.Ordinal);
        foreach (var name in unresolved)
        {
            Console.Error.WriteLine($"warning: {function.Name}'s {name} is a CloudFormation expression the local runner cannot resolve; set it with --env {name}=...");
        }
        if (DynamoDbEndpoint is not null)
        {
            environment[Functions.Runtime.LambdaEnvironment.DynamoDbEndpoint] = DynamoDbEndpoint;
        }
        foreach (var (key, value) in _options.ExtraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var emulator = _options.Architecture.IsHost ? null : _options.Architecture.Emulator;
        return (new FunctionSpec(function.Name, build.Bootstrap, function.MemoryMb, timeout ?? function.Timeout, environment) { Emulator = emulator, Limits = Limits }, build);
    }

    /// <summary>
    /// Takes a re-synthesized template (./fn serve --watch): its new tables are created where the old ones live.
    /// A template that brings the first table of a table-less session needs a restart: there is no DynamoDB to put it in.
    /// </summary>
    public async Task AdoptAsync(CdkTemplate template, CancellationToken cancellationToken)
    {
        if (DynamoDbEndpoint is not null)
        {
            await EnsureTablesAsync(DynamoDbEndpoint, template.Tables, cancellationToken);
        }
        Template = template;
    }

    /// <summary>Creates the tables that do not exist yet, each with its template key schema.</summary>
    private static async Task EnsureTablesAsync(string endpoint, IEnumerable<TemplateTable> tables, CancellationToken cancellationToken)
    {
        using var provisioner = new TableProvisioner(endpoint);
        foreach (var table in tables)
        {
            await provisioner.EnsureTableAsync(table.LogicalId, Key(table, "HASH")!, Key(table, "RANGE"), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RuntimeApi.DisposeAsync();
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }
        Limits.Dispose();
    }

    private static TableKey? Key(TemplateTable table, string keyType) =>
        table.Keys.Where(k => k.KeyType == keyType)
            .Select(k => new TableKey(k.Name, new Amazon.DynamoDBv2.ScalarAttributeType(k.Type)))
            .FirstOrDefault();
}
