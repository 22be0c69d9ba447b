using Functions.Tools.Bench;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Instances;

namespace Functions.Tools.Tune;

/// <summary>
/// A function run here, as the local emulator runs it: each size's environments are new processes started with that
/// memory size, in cgroups of that size's CPU share and memory limit where the run is Lambda-shaped.
/// </summary>
/// <param name="beforeEach">Runs before each invocation, outside its timing: puts back the items a write consumed.</param>
public sealed class LocalSweepTarget(
    FunctionSpec spec, RuntimeApiServer server, byte[] payload, string architecture, bool httpResponse = true,
    Func<FunctionSpec, CancellationToken, Task>? beforeEach = null) : ISweepTarget
{
    private FunctionSpec _spec = spec;
    private FunctionInstance? _warm;

    public string Function => _spec.Name;

    public string Architecture => architecture;

    public string Shaping => _spec.Emulator is not null
        ? $"{architecture} under {_spec.Emulator} (emulated: not shaped)"
        : _spec.Limits is { IsShaped: true } limits ? $"Lambda-shaped (cgroup v{limits.Version})"
        : _spec.Limits?.Describe() is { } why ? why.Replace("CPU: ", "", StringComparison.Ordinal) : "host, not shaped";

    /// <summary>Only a shaped CPU makes duration depend on memory size; unshaped, every size runs on the whole host.</summary>
    public bool ScalesWithMemory => _spec.Emulator is null && _spec.Limits is { IsShaped: true };

    public async Task UseMemoryAsync(int memoryMb, CancellationToken cancellationToken)
    {
        await RetireWarmAsync().ConfigureAwait(false);
        _spec = _spec with { MemoryMb = memoryMb };
    }

    public async Task<SweepSample> InvokeColdAsync(CancellationToken cancellationToken)
    {
        await using var instance = await FunctionInstance.StartAsync(_spec, server, _ => { }, cancellationToken).ConfigureAwait(false);
        return await InvokeAsync(instance, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SweepSample> InvokeWarmAsync(CancellationToken cancellationToken)
    {
        if (_warm is null)
        {
            _warm = await FunctionInstance.StartAsync(_spec, server, _ => { }, cancellationToken).ConfigureAwait(false);
            await InvokeAsync(_warm, cancellationToken).ConfigureAwait(false);
        }
        return await InvokeAsync(_warm, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(RetireWarmAsync());

    private async Task<SweepSample> InvokeAsync(FunctionInstance instance, CancellationToken cancellationToken)
    {
        if (beforeEach is not null)
        {
            await beforeEach(_spec, cancellationToken).ConfigureAwait(false);
        }
        var report = MeasuredInvocation.EnsureSucceeded(
            await instance.InvokeAsync(payload, cancellationToken: cancellationToken).ConfigureAwait(false), Function, httpResponse);
        return new SweepSample(report.InitDurationMs, report.DurationMs, report.BilledDurationMs, report.MaxMemoryUsedMb ?? 0);
    }

    private async Task RetireWarmAsync()
    {
        if (_warm is { } warm)
        {
            _warm = null;
            await warm.DisposeAsync().ConfigureAwait(false);
        }
    }
}
