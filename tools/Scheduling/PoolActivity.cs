namespace Functions.Tools.Scheduling;

/// <summary>
/// A pool at one moment: its live instances (<paramref name="Idle"/> of them waiting for an event, the rest busy or
/// starting) and, since it began, its invocations, how many met a cold start, and the highest Max Memory Used.
/// </summary>
public sealed record PoolActivity(int Instances, int Idle, long Invocations, long ColdStarts, int PeakMemoryMb)
{
    public int Busy => Instances - Idle;
}
