using Functions.Logging;
using Functions.Runtime;

namespace Functions.Tests.Runtime;

/// <summary>
/// LambdaBootstrap with a real RuntimeApiClient, run in this process against a Runtime API on loopback;
/// disposing it stops the loop and waits for its exit code.
/// </summary>
internal sealed class InProcessFunction : IAsyncDisposable
{
    /// <summary>Stopping cancels a pending /next: the loop must be out well within this.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly RuntimeApiClient _client;

    private InProcessFunction(string runtimeApi, Func<FunctionStartup, IInvocationHandler> initialize, LambdaEnvironment environment)
    {
        _client = new RuntimeApiClient(runtimeApi);
        var bootstrap = new LambdaBootstrap(_client, environment, new LambdaLogger(Log, json: false, LogLevel.Trace));
        Exit = Task.Run(() => bootstrap.RunAsync(initialize, _stop.Token));
    }

    /// <summary>RunAsync's exit code, once the loop has ended.</summary>
    public Task<int> Exit { get; }

    /// <summary>The runtime's log lines; read it once <see cref="Exit"/> has completed.</summary>
    public StringWriter Log { get; } = new();

    public static InProcessFunction Start(
        string runtimeApi,
        Func<FunctionStartup, IInvocationHandler> initialize,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(runtimeApi, initialize, LambdaEnvironment.From(environment ?? new Dictionary<string, string>()));

    public static InProcessFunction Start(
        string runtimeApi,
        Func<byte[], InvocationContext, Task<byte[]>> handle,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Start(runtimeApi, _ => new DelegateHandler(handle), environment);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Exit.WaitAsync(StopTimeout);
        }
        finally
        {
            _client.Dispose();
            _stop.Dispose();
        }
    }

    private sealed class DelegateHandler(Func<byte[], InvocationContext, Task<byte[]>> handle) : IInvocationHandler
    {
        public Task<byte[]> HandleAsync(byte[] payload, InvocationContext context) => handle(payload, context);
    }
}
