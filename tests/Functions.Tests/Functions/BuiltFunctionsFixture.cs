using Functions.Tools.DynamoDb;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Functions;

/// <summary>
/// The six functions built with Native AOT (once: ./fn build's cache makes later runs free), an in-memory dynalite
/// with the items table, and the Runtime API emulator: everything a real bootstrap process needs.
/// </summary>
public sealed class BuiltFunctionsFixture : IAsyncLifetime
{
    public const string Table = "ItemsTable";

    private readonly Dictionary<string, BuildResult> _builds = new(StringComparer.Ordinal);
    private Dynalite? _dynalite;

    public Repository Repository { get; } = Repository.Locate();
    public RuntimeApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new FunctionBuilder(Repository);
        foreach (var function in Repository.FunctionNames())
        {
            _builds[function] = await builder.BuildAsync(BuildRequest.For(Repository, function, BuildMode.Aot, Architecture.HostOrX86_64));
        }
        _dynalite = await Dynalite.StartAsync(dataDirectory: null, Repository);
        using var provisioner = new TableProvisioner(_dynalite.Endpoint);
        await provisioner.EnsureTableAsync(Table, new TableKey("id", Amazon.DynamoDBv2.ScalarAttributeType.S));
        Server = await RuntimeApiServer.StartAsync();
    }

    public BuildResult Build(string function) => _builds[function];

    /// <summary>A function as Lambda would start it, pointed at the local table.</summary>
    public FunctionSpec Spec(string function, IReadOnlyDictionary<string, string>? environment = null) => new(
        function,
        Build(function).Bootstrap,
        MemoryMb: 256,
        Timeout: TimeSpan.FromSeconds(10),
        environment ?? new Dictionary<string, string>
        {
            [global::Functions.Runtime.LambdaEnvironment.TableName] = Table,
            [global::Functions.Runtime.LambdaEnvironment.DynamoDbEndpoint] = _dynalite!.Endpoint,
        });

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BuiltFunctionsCollection : ICollectionFixture<BuiltFunctionsFixture>
{
    public const string Name = "Built functions";
}
