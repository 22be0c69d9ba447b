namespace Functions.Tools.Scheduling;

/// <summary>
/// A pool at one moment: each of its instances, and since it began its invocations, how many met a cold start, and
/// the highest Max Memory Used.
/// </summary>
public sealed record PoolActivity(IReadOnlyList<InstanceActivity> Each, long Invocations, long ColdStarts, int PeakMemoryMb)
{
    public int Instances => Each.Count;

    public int Starting => Each.Count(i => i.State == InstanceState.Starting);

    public int Busy => Each.Count(i => i.State == InstanceState.Busy);

    public int Idle => Each.Count(i => i.State == InstanceState.Idle);
}

/// <summary>Starting: spawned, its init not yet done (its first event waits for it). Busy: running an event. Idle: waiting for one.</summary>
public enum InstanceState
{
    Starting,
    Busy,
    Idle,
}

/// <summary>One execution environment: its process (none yet while it is being spawned), what it is doing, since when it idles, and what it has done.</summary>
public sealed record InstanceActivity(int? ProcessId, InstanceState State, DateTimeOffset? IdleSince, int Invocations, double? InitMs, int? PeakMemoryMb);
