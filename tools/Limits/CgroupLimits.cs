namespace Functions.Tools.Limits;

/// <summary>An instance in its own cgroup: the kernel holds it to its memory size, and its CPU to its share after init.</summary>
public sealed class CgroupLimits(InstanceGroup group) : InstanceLimits(group.MemoryMb)
{
    private const long ResampleAfterMs = 250;

    // -1: no sample yet, so the first reading (the cold start's) always takes one.
    private long _groupKibAtSample = -1;
    private long _sampledAt;

    public override InstanceGroup Group => group;

    public override bool StoppedForMemory => group.OutOfMemoryKilled();

    /// <summary>The process enters the group before any of its own code runs (<see cref="InstanceGroup.Wrap"/>).</summary>
    public override (string FileName, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments) =>
        group.Wrap(program, arguments);

    /// <summary>The invocations run under the CPU quota; the init did not.</summary>
    public override void InitOver() => group.EndInitBurst();

    public override int? PeakMb()
    {
        var groupKib = group.PeakBytes() is { } bytes ? bytes / 1024 : 0;
        // The process's own peak is read from /proc/PID/status, which the kernel writes out whole: the dearest part of
        // an invocation's measuring under load. It can only have grown past the group's peak by pages the group is
        // not charged for (see below), which a warm instance seldom maps anew: read again when the group's peak moved,
        // and at least every quarter of a second, so a late rise is never kept from a report for long.
        var now = Environment.TickCount64;
        if (groupKib != _groupKibAtSample || now - _sampledAt >= ResampleAfterMs)
        {
            SampleResidentPeak();
            (_groupKibAtSample, _sampledAt) = (groupKib, now);
        }
        // The larger of the group's peak (all the environment charged: anonymous memory, page cache, children, even
        // after a crash) and VmHWM (the process's resident pages): a group is not charged for pages of files another
        // group read first, such as the .NET runtime's libraries cached by an earlier run (a JIT Hello: 11 MB against
        // 44 MB resident), where Lambda's fresh environment loads every page itself.
        var kib = Math.Max(groupKib, ResidentPeakKib);
        // Never more than the size: resident pages the group is not charged for can take VmHWM past the size of an
        // instance the kernel lets live.
        return kib > 0 ? Math.Min(ProcessMemory.ToMegabytes(kib), MemoryMb) : null;
    }

    /// <summary>Removes the group; its process must be gone.</summary>
    public override void Dispose()
    {
        group.Dispose();
        base.Dispose();
    }
}
