using Functions.Tools.Limits;

namespace Functions.Tests.Limits;

/// <summary>
/// A fact that needs cgroups this process can write (root, or a delegated cgroup v2 subtree): skipped, with the
/// reason, on a machine where they cannot be; CI runs as root and runs them.
/// </summary>
public sealed class CgroupFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        using var limits = ResourceLimits.Open(CpuMode.Lambda);
        return limits.NotShapedReason;
    });

    public CgroupFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = $"cgroups cannot be written on this machine: {reason}";
        }
    }
}
