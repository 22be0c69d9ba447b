using System.Collections.Concurrent;
using Functions.Tools.Scheduling;

namespace Functions.Tools.Serve;

/// <summary>
/// The functions serve is still building when it already listens, by logical id: each one's pool once its build is
/// done, or why it has none. A request to a function still building waits for it, within the integration timeout.
/// </summary>
public sealed class PendingBuilds
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionPool>> _builds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>A function about to be built (in the order given: the first ones are built first).</summary>
    public void Expect(string logicalId, string name)
    {
        _builds[logicalId] = new TaskCompletionSource<FunctionPool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _names[logicalId] = name;
    }

    /// <summary>The build of <paramref name="logicalId"/> as it goes, or null when serve is not building it.</summary>
    public Task<FunctionPool>? Of(string logicalId) => _builds.TryGetValue(logicalId, out var build) ? build.Task : null;

    public void Built(string logicalId, FunctionPool pool) => _builds.GetValueOrDefault(logicalId)?.TrySetResult(pool);

    public void Failed(string logicalId, string reason) =>
        _builds.GetValueOrDefault(logicalId)?.TrySetException(new FunctionNotBuiltException($"{_names.GetValueOrDefault(logicalId, logicalId)} did not build: {reason}"));

    /// <summary>What a caller who waited long enough is told: which function, and how far the builds are.</summary>
    public string StillBuilding(string logicalId)
    {
        var done = _builds.Values.Count(b => b.Task.IsCompleted);
        return $"{_names.GetValueOrDefault(logicalId, logicalId)} is still building ({done} of {_builds.Count} functions built since serve started); retry in a few seconds.";
    }
}

/// <summary>A function whose first build failed: requests to it are refused with the reason until a rebuild (--watch) works.</summary>
public sealed class FunctionNotBuiltException(string message) : Exception(message);
