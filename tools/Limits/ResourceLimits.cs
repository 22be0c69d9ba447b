using System.Globalization;

namespace Functions.Tools.Limits;

/// <summary>
/// The cgroups of one run: a group of its own (fn-&lt;pid&gt;) under the place this process holds in each hierarchy,
/// and in it one group per instance. Where nothing can be written (no root, no delegation, a read-only mount) the run
/// is unshaped, and <see cref="NotShapedReason"/> says why; the instances then fall back to the memory watch.
/// </summary>
public sealed class ResourceLimits : IDisposable
{
    /// <summary>
    /// A folder that stands for every cgroup mount, instead of those /proc/self/mountinfo lists: tests point it at a
    /// folder with no cgroups to see the unshaped path on a machine that has them.
    /// </summary>
    public const string RootVariable = "FN_CGROUP_ROOT";

    private const string RunPrefix = "fn-";
    private const string SelfSuffix = "-self";

    /// <summary>Numbers the runs of this process (a test host opens several at once).</summary>
    private static int _runs;

    private readonly CgroupPlace? _place;
    private readonly string? _memoryRun;
    private readonly string? _cpuRun;
    private readonly Lock _weighing = new();
    private int _instances;

    private ResourceLimits(CgroupPlace? place, string? memoryRun, string? cpuRun, string? notShaped)
    {
        _place = place;
        _memoryRun = memoryRun;
        _cpuRun = cpuRun;
        NotShapedReason = notShaped;
    }

    /// <summary>Null when instances are shaped; otherwise why not, for people.</summary>
    public string? NotShapedReason { get; }

    public bool IsShaped => NotShapedReason is null;

    /// <summary>Where this process sits in the hierarchies, when found.</summary>
    public CgroupPlace? Place => _place;

    /// <summary>The run's own groups (v1: memory's and cpu's; v2: one), which hold the instances'.</summary>
    public IReadOnlyList<string> RunDirectories => new[] { _memoryRun, _cpuRun }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>1 or 2 when shaped.</summary>
    public int? Version => IsShaped ? _place!.Version : null;

    /// <summary>Instances run on the host's CPU and memory, as before: no cgroups at all.</summary>
    public static ResourceLimits Unshaped(string reason) => new(null, null, null, reason);

    /// <summary>
    /// --cpu lambda: finds this process's place, removes what a crashed run left there and creates this run's group;
    /// unshaped, with the reason, when any of that cannot be done.
    /// </summary>
    public static ResourceLimits Open(CpuMode mode, string? root = null)
    {
        if (mode == CpuMode.Host)
        {
            return Unshaped("--cpu host");
        }
        if (!OperatingSystem.IsLinux())
        {
            return Unshaped("cgroups are Linux's");
        }
        root ??= Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } given ? given : null;
        string cgroup, mountinfo;
        try
        {
            cgroup = File.ReadAllText("/proc/self/cgroup");
            mountinfo = File.ReadAllText("/proc/self/mountinfo");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unshaped($"/proc cannot be read ({e.Message})");
        }
        if (CgroupPlace.Find(cgroup, mountinfo, root, out var reason) is not { } place)
        {
            return Unshaped(reason);
        }
        return OpenAt(place);
    }

    /// <summary>The run's groups at <paramref name="place"/>: its folders must exist; unshaped when they cannot be written.</summary>
    internal static ResourceLimits OpenAt(CgroupPlace place)
    {
        if (new[] { place.MemoryDirectory, place.CpuDirectory }.FirstOrDefault(d => !Directory.Exists(d)) is { } missing)
        {
            return Unshaped($"there is no cgroup folder {missing}");
        }
        try
        {
            return place.Version == 1 ? OpenV1(place) : OpenV2(place);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unshaped($"cgroup v{place.Version.ToString(CultureInfo.InvariantCulture)} at {place.MemoryDirectory} cannot be written ({e.Message.TrimEnd('.')})");
        }
    }

    private static ResourceLimits OpenV1(CgroupPlace place)
    {
        RemoveStale(place.MemoryDirectory);
        RemoveStale(place.CpuDirectory);
        var name = RunName();
        var memory = Directory.CreateDirectory(Path.Join(place.MemoryDirectory, name)).FullName;
        try
        {
            var cpu = Directory.CreateDirectory(Path.Join(place.CpuDirectory, name)).FullName;
            return new ResourceLimits(place, memory, cpu, null);
        }
        catch
        {
            InstanceGroup.Remove(memory, TimeSpan.Zero);
            throw;
        }
    }

    /// <summary>
    /// v2 passes controllers down only through cgroup.subtree_control, and only a group with no processes of its own
    /// may enable them (the "no internal processes" rule; the root is exempt). When ours holds this very process, the
    /// process moves into a leaf of its own (fn-&lt;pid&gt;-self) and tries again; a group that holds other processes too
    /// (a login shell's) cannot be used.
    /// </summary>
    private static ResourceLimits OpenV2(CgroupPlace place)
    {
        var parent = place.MemoryDirectory;
        var available = (File.Exists(Path.Join(parent, "cgroup.controllers")) ? File.ReadAllText(Path.Join(parent, "cgroup.controllers")) : "").Split(' ', '\n');
        if (!available.Contains("cpu") || !available.Contains("memory"))
        {
            return Unshaped($"the cgroup v2 group {parent} is not given the cpu and memory controllers");
        }
        RemoveStale(parent);
        if (!TryEnable(parent))
        {
            var self = Directory.CreateDirectory(Path.Join(parent, RunPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + SelfSuffix)).FullName;
            File.WriteAllText(Path.Join(self, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            if (!TryEnable(parent))
            {
                File.WriteAllText(Path.Join(parent, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                InstanceGroup.Remove(self, TimeSpan.FromSeconds(1));
                return Unshaped($"the cgroup v2 group {parent} holds other processes, so it cannot pass controllers on; "
                    + $"start fn in a group of its own (systemd-run --user --scope -p Delegate=yes {Repository.CommandHere} ...)");
            }
        }
        var run = Directory.CreateDirectory(Path.Join(parent, RunName())).FullName;
        if (!TryEnable(run))
        {
            InstanceGroup.Remove(run, TimeSpan.Zero);
            return Unshaped($"the cgroup v2 group {run} cannot enable the cpu and memory controllers");
        }
        return new ResourceLimits(place, run, run, null);
    }

    private static bool TryEnable(string group)
    {
        try
        {
            File.WriteAllText(Path.Join(group, "cgroup.subtree_control"), "+cpu +memory");
            return true;
        }
        catch (IOException)
        {
            return false; // EBUSY: the group holds processes.
        }
    }

    /// <summary>The group of one instance, shaped to <paramref name="memoryMb"/>; null when the run is unshaped.</summary>
    public InstanceGroup? CreateGroup(string name, int memoryMb)
    {
        if (!IsShaped)
        {
            return null;
        }
        try
        {
            InstanceGroup group = _place!.Version == 1
                ? V1InstanceGroup.Create(_memoryRun!, _cpuRun!, name, memoryMb)
                : V2InstanceGroup.Create(_memoryRun!, name, memoryMb);
            if (memoryMb > LambdaShape.InitBurstUpToMb)
            {
                group.EndInitBurst(); // Measured no faster in init than after it: the quota from the start.
            }
            Reweigh(+1);
            group.Removed = () => Reweigh(-1);
            return group;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Instances.InstanceStartException($"Cannot create the cgroup of instance {name} in {_memoryRun}: {e.Message.TrimEnd('.')}. --cpu host runs unshaped.", e);
        }
    }

    /// <summary>
    /// Weighs the run's group as the processes it holds. The kernel weighs a group as one process against its siblings
    /// (serve's own threads, a load generator beside it): with the default weight every instance together would get the
    /// CPU one such thread gets, and a function's invocation would wait behind the emulator's own work, which Lambda's
    /// never does (measured at 10 connections on /hello: p99 8-17 ms at the default weight, 2.3-3.9 ms weighed so). Weighed
    /// as its instances, each competes for the machine as a process of its own would, as under --cpu host, its quota
    /// still its limit.
    /// </summary>
    private void Reweigh(int instancesAdded)
    {
        lock (_weighing)
        {
            _instances += instancesAdded;
            var processes = Math.Max(_instances, 1);
            try
            {
                if (_place!.Version == 1)
                {
                    // cpu.shares: 1024 a process, up to the kernel's 262144.
                    File.WriteAllText(Path.Join(_cpuRun!, "cpu.shares"), Math.Min(1024L * processes, 262_144).ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    // cpu.weight: 100 a process, up to 10000.
                    File.WriteAllText(Path.Join(_cpuRun!, "cpu.weight"), Math.Min(100L * processes, 10_000).ToString(CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A group that lets its quotas be written but not its weight: the instances keep their limits, and only
                // wait longer behind serve when the machine is busy.
            }
        }
    }

    /// <summary>For people: "CPU: Lambda-shaped (cgroup v1), 256 MB = 14.5 % of a vCPU", or why not.</summary>
    public string Describe(int? memoryMb = null) => IsShaped
        ? $"CPU: Lambda-shaped (cgroup v{Version!.Value.ToString(CultureInfo.InvariantCulture)}), "
          + (memoryMb is { } mb ? LambdaShape.Describe(mb) : $"memory size / {LambdaShape.MegabytesPerVcpu.ToString("N0", CultureInfo.InvariantCulture)} MB of a vCPU")
          + "; memory limited to the memory size"
        : NotShapedReason == "--cpu host"
            ? "CPU: host, not shaped (--cpu host)"
            : $"CPU: host, not shaped: {NotShapedReason}; run as root or delegate a cgroup v2 subtree";

    /// <summary>Removes the run's groups; every instance's must be gone first.</summary>
    public void Dispose()
    {
        foreach (var run in new[] { _memoryRun, _cpuRun }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            InstanceGroup.Remove(run, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>fn-&lt;pid&gt;-&lt;n&gt;: the pid tells a later run whether the run that made it is still alive.</summary>
    private static string RunName() =>
        $"{RunPrefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Interlocked.Increment(ref _runs).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The groups a run that no longer exists left behind (killed before it could remove them): fn-&lt;pid&gt;-&lt;n&gt;
    /// and fn-&lt;pid&gt;-self for a pid that is gone, with their instance groups. Their processes died with the run
    /// (an instance's group holding a live process cannot be removed, and is left alone).
    /// </summary>
    public static void RemoveStale(string parent)
    {
        foreach (var directory in Directory.EnumerateDirectories(parent, RunPrefix + "*"))
        {
            var name = Path.GetFileName(directory)[RunPrefix.Length..].Split('-')[0];
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
            {
                continue;
            }
            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                InstanceGroup.Remove(child, TimeSpan.Zero);
            }
            InstanceGroup.Remove(directory, TimeSpan.Zero);
        }
    }
}
