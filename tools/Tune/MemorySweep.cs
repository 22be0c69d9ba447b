using Functions.Tools.Bench;

namespace Functions.Tools.Tune;

/// <summary>Where a sweep is, for a progress bar: the function, the size, and how many invocations of all are done.</summary>
public sealed record SweepProgress(string Function, int MemoryMb, int Done, int Total);

/// <summary>
/// Runs one function at each memory size in turn, as Power Tuning does: at each size, <c>cold</c> invocations on new
/// environments, then <c>warm</c> on one environment kept alive, and prices the size from what was measured there.
/// </summary>
public sealed class MemorySweep(Prices prices, double coldShare, IProgress<SweepProgress>? progress = null)
{
    public async Task<TuneResult> RunAsync(ISweepTarget target, IReadOnlyList<int> sizes, int cold, int warm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(cold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(warm, 1);
        var total = sizes.Count * (cold + warm);
        var done = 0;
        void Step(int memoryMb) => progress?.Report(new SweepProgress(target.Function, memoryMb, ++done, total));
        var results = new List<SizeResult>();
        foreach (var memoryMb in sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new SweepProgress(target.Function, memoryMb, done, total));
            await target.UseMemoryAsync(memoryMb, cancellationToken).ConfigureAwait(false);
            var coldSamples = new List<SweepSample>();
            for (var i = 0; i < cold; i++)
            {
                coldSamples.Add(await target.InvokeColdAsync(cancellationToken).ConfigureAwait(false));
                Step(memoryMb);
            }
            var warmSamples = new List<SweepSample>();
            for (var i = 0; i < warm; i++)
            {
                warmSamples.Add(await target.InvokeWarmAsync(cancellationToken).ConfigureAwait(false));
                Step(memoryMb);
            }
            results.Add(new SizeResult(memoryMb, coldSamples, warmSamples, Price(target, memoryMb, coldSamples, warmSamples)));
        }
        return new TuneResult(target.Function, target.Architecture, target.Shaping, target.ScalesWithMemory, results);
    }

    /// <summary>The bench's cost model, fed the means this size measured (a bill is a sum, so it follows the mean).</summary>
    private CostRow Price(ISweepTarget target, int memoryMb, List<SweepSample> cold, List<SweepSample> warm)
    {
        var coldDuration = cold.Average(s => s.DurationMs);
        var input = new CostInput(target.Function, "tune", target.Architecture, memoryMb,
            warm.Average(s => s.DurationMs), cold.Average(s => s.InitMs ?? 0), coldDuration);
        return CostModel.Compute(input, prices, coldShare, []);
    }
}
