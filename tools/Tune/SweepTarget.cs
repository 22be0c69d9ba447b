namespace Functions.Tools.Tune;

/// <summary>
/// A function a memory sweep can run at any size: here, as local instances in cgroups; or deployed, through the
/// Lambda API. The sweep asks for sizes in turn and, at each, for invocations on new environments and on one kept warm.
/// </summary>
public interface ISweepTarget : IAsyncDisposable
{
    /// <summary>The function's name as reports show it.</summary>
    string Function { get; }

    /// <summary>"x86_64" or "arm64": the architecture whose price the costs use.</summary>
    string Architecture { get; }

    /// <summary>What shaped the figures, for the report: "Lambda-shaped (cgroup v1)", "deployed (us-east-1)", or why not shaped.</summary>
    string Shaping { get; }

    /// <summary>Whether the figures change with memory size at all: false where the CPU is not shaped locally.</summary>
    bool ScalesWithMemory { get; }

    /// <summary>Every later invocation runs at <paramref name="memoryMb"/>, on environments started with that size.</summary>
    Task UseMemoryAsync(int memoryMb, CancellationToken cancellationToken);

    /// <summary>One invocation on a new execution environment: its init and its first invocation.</summary>
    Task<SweepSample> InvokeColdAsync(CancellationToken cancellationToken);

    /// <summary>One invocation on an environment that has already served one at this size.</summary>
    Task<SweepSample> InvokeWarmAsync(CancellationToken cancellationToken);
}
