using Functions.Tools.Building;
using Functions.Tools.DynamoDb;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduler;
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

    private LocalSession(Repository repository, LocalOptions options, CdkTemplate template, RuntimeApiServer runtimeApi, Dynalite? dynalite, string? dynamoDbEndpoint)
    {
        _repository = repository;
        _options = options;
        Template = template;
        RuntimeApi = runtimeApi;
        _dynalite = dynalite;
        DynamoDbEndpoint = dynamoDbEndpoint;
    }

    public CdkTemplate Template { get; }
    public RuntimeApiServer RuntimeApi { get; }
    public string? DynamoDbEndpoint { get; }

    public static async Task<LocalSession> StartAsync(Repository repository, CdkTemplate template, IReadOnlyList<TemplateFunction> functions, LocalOptions options, CancellationToken cancellationToken)
    {
        var tables = functions.SelectMany(template.TablesUsedBy).DistinctBy(t => t.LogicalId).ToList();
        Dynalite? dynalite = null;
        var endpoint = options.DynamoDbEndpoint;
        var runtimeApi = await RuntimeApiServer.StartAsync(cancellationToken);
        try
        {
            if (tables.Count > 0)
            {
                if (endpoint is null)
                {
                    var dataDirectory = options.InMemory ? null : options.DataDirectory ?? Path.Combine(repository.State, "data");
                    dynalite = await Dynalite.StartAsync(dataDirectory, repository, cancellationToken);
                    endpoint = dynalite.Endpoint;
                }
                using var provisioner = new TableProvisioner(endpoint);
                foreach (var table in tables)
                {
                    await provisioner.EnsureTableAsync(table.LogicalId, Key(table, "HASH")!, Key(table, "RANGE"), cancellationToken);
                }
            }
            return new LocalSession(repository, options, template, runtimeApi, dynalite, endpoint);
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
    public async Task<FunctionSpec> PrepareAsync(TemplateFunction function, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var build = await new FunctionBuilder(_repository).BuildAsync(function.Name, _options.Mode, Architecture.Host, cancellationToken);
        var environment = new Dictionary<string, string>(Template.ResolveEnvironment(function, out var unresolved), StringComparer.Ordinal);
        foreach (var name in unresolved)
        {
            Console.Error.WriteLine($"warning: {function.Name}'s {name} is a CloudFormation expression the local runner cannot resolve; set it with --env {name}=...");
        }
        if (DynamoDbEndpoint is not null)
        {
            environment["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoDbEndpoint;
        }
        foreach (var (key, value) in _options.ExtraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        return new FunctionSpec(function.Name, build.Bootstrap, function.MemoryMb, timeout ?? function.Timeout, environment);
    }

    public async ValueTask DisposeAsync()
    {
        await RuntimeApi.DisposeAsync();
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }
    }

    private static TableKey? Key(TemplateTable table, string keyType) =>
        table.Keys.Where(k => k.KeyType == keyType)
            .Select(k => new TableKey(k.Name, new Amazon.DynamoDBv2.ScalarAttributeType(k.Type)))
            .FirstOrDefault();
}
