using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Functions.Tools.Instances;
using Functions.Tools.Limits;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Instances;

/// <summary>
/// The DummyFunction executable (tests/Fixtures/DummyFunction, built next to this assembly) as one function instance
/// of a fresh Runtime API emulator; disposing kills the process and stops the emulator.
/// </summary>
internal sealed class DummyFunctionHost : IAsyncDisposable
{
    public const string FunctionName = "dummy";
    public const int MemoryMb = 256;

    /// <summary>Bounds any one invocation, cold start included: a JIT-compiled dummy starts in well under a second.</summary>
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Bounds killing the process and stopping the emulator.</summary>
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);

    private DummyFunctionHost(RuntimeApiServer server, FunctionSpec spec, ConcurrentQueue<string> log, FunctionInstance instance)
    {
        Server = server;
        Spec = spec;
        Log = log;
        Instance = instance;
    }

    /// <summary>The apphost the build copies next to the test assembly (through the project reference).</summary>
    public static string Bootstrap => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "DummyFunction.exe" : "DummyFunction");

    public RuntimeApiServer Server { get; }
    public FunctionSpec Spec { get; }
    public FunctionInstance Instance { get; }

    /// <summary>What the process wrote to stdout and stderr.</summary>
    public ConcurrentQueue<string> Log { get; }

    /// <param name="limits">The run's cgroups, to shape the instance as Lambda does; null runs it unshaped.</param>
    public static async Task<DummyFunctionHost> StartAsync(
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null, int memoryMb = MemoryMb, ResourceLimits? limits = null)
    {
        var spec = SpecFor(FunctionName, timeout ?? TimeSpan.FromSeconds(10), environment) with { MemoryMb = memoryMb, Limits = limits };
        var server = await RuntimeApiServer.StartAsync().WaitAsync(DisposeTimeout);
        var log = new ConcurrentQueue<string>();
        return new DummyFunctionHost(server, spec, log, await FunctionInstance.StartAsync(spec, server, log.Enqueue).WaitAsync(DisposeTimeout));
    }

    /// <summary>The dummy function as a function spec, for a pool or a host of the test's own.</summary>
    public static FunctionSpec SpecFor(string name, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        // The instance starts from an empty environment; the apphost finds the shared runtime through DOTNET_ROOT.
        var variables = new Dictionary<string, string> { ["DOTNET_ROOT"] = DotnetRoot() };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }
        return new FunctionSpec(name, Bootstrap, MemoryMb, timeout, variables);
    }

    public Task<InvocationReport> InvokeAsync(string json, TimeSpan? timeout = null, CallerContext? caller = null) =>
        Instance.InvokeAsync(Encoding.UTF8.GetBytes(json), timeout, caller: caller).WaitAsync(InvokeTimeout);

    /// <summary>Waits for the process to be gone, as after a kill or an exit.</summary>
    public async Task<bool> HasExitedWithinAsync(TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!Instance.HasExited && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }
        return Instance.HasExited;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Instance.DisposeAsync().AsTask().WaitAsync(DisposeTimeout);
        }
        finally
        {
            await Server.DisposeAsync().AsTask().WaitAsync(DisposeTimeout);
        }
    }

    /// <summary>The dotnet installation running these tests: three folders above the shared runtime's.</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
}
