using System.Globalization;

namespace Functions.Tools.Limits;

/// <summary>
/// One instance's cgroup, shaped as Lambda shapes an execution environment: memory limited to its size (no swap),
/// CPU limited to its share once init is over. The process enters it through a shim before any of its own code runs
/// (<see cref="Wrap"/>); the group is removed once the process is gone.
/// </summary>
public abstract class InstanceGroup : IDisposable
{
    /// <summary>The scheduler's period; the quota is this much of it times the vCPU share.</summary>
    protected const long PeriodMicroseconds = 100_000;

    /// <summary>The kernel's smallest quota (1 ms per period).</summary>
    private const long MinQuotaMicroseconds = 1_000;

    /// <summary>How long removal waits for the kernel to let go of a group whose last process just died.</summary>
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(2);

    private int _throttled;
    private int _disposed;

    protected InstanceGroup(int memoryMb) => MemoryMb = memoryMb;

    public int MemoryMb { get; }

    /// <summary>The group's folders, one per hierarchy (v1: memory and cpu; v2: one).</summary>
    public abstract IReadOnlyList<string> Directories { get; }

    /// <summary>The files a process writes its pid to, to enter the group (every hierarchy's).</summary>
    protected abstract IEnumerable<string> ProcsFiles { get; }

    /// <summary>
    /// The command that runs <paramref name="program"/> inside the group: /bin/sh writes its own pid into the group and
    /// then execs the program, which keeps that pid. Placing the pid after spawning would let the runtime start (and
    /// touch its first tens of MB) outside the group, and pages stay charged where they were first touched (v2 never
    /// moves charges; v1 only with the deprecated move_charge_at_immigrate): the peak would miss them.
    /// </summary>
    public (string FileName, IReadOnlyList<string> Arguments) Wrap(string program, IEnumerable<string> arguments)
    {
        const string script = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 126; shift; done; shift; exec \"$@\"";
        return ("/bin/sh", ["-c", script, "fn-cgroup", .. ProcsFiles, "--", program, .. arguments]);
    }

    /// <summary>The CPU quota, from now on: called when the instance first asks for an event (the init burst is over).</summary>
    public void EndInitBurst()
    {
        if (Interlocked.Exchange(ref _throttled, 1) == 0)
        {
            var quota = Math.Max(MinQuotaMicroseconds, (long)Math.Round(PeriodMicroseconds * LambdaShape.Vcpus(MemoryMb)));
            SetCpuQuota(quota);
        }
    }

    /// <summary>The group's peak memory in bytes (page cache included, as the kernel charges it), or null when unknown.</summary>
    public abstract long? PeakBytes();

    /// <summary>Whether the kernel killed a process of the group for its memory limit.</summary>
    public abstract bool OutOfMemoryKilled();

    /// <summary>Periods in which the group used up its quota and waited (cpu.stat nr_throttled).</summary>
    public long ThrottledPeriods() => StatField(CpuStatFile, "nr_throttled") ?? 0;

    /// <summary>The quota and period in force, in microseconds; quota null when unlimited.</summary>
    public abstract (long? Quota, long Period) CpuLimit();

    protected abstract string CpuStatFile { get; }

    protected abstract void SetCpuQuota(long quotaMicroseconds);

    /// <summary>The group's memory peak file, kept open once read (see <see cref="KernelFile"/>).</summary>
    private protected KernelFile? _peak;

    /// <summary>Called once the group is removed (the run weighs its group by the instances it holds).</summary>
    internal Action? Removed { get; set; }

    /// <summary>Removes the group; its processes must be gone (a group with a process cannot be removed).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _peak?.Dispose();
            foreach (var directory in Directories)
            {
                Remove(directory, RemoveTimeout);
            }
            Removed?.Invoke();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>rmdir, retried while the kernel still counts a process that just died (EBUSY).</summary>
    internal static void Remove(string directory, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                Directory.Delete(directory); // Not recursive: a cgroup's files go with it; they cannot be deleted one by one.
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(20);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // Left for the next run's clean-up of stale groups.
            }
        }
    }

    protected static void Write(string file, string value) => File.WriteAllText(file, value);

    protected static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    protected static long? ReadNumber(string file) =>
        Read(file) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>"name value" lines (cpu.stat, memory.events, memory.oom_control): the value of <paramref name="name"/>.</summary>
    protected static long? StatField(string file, string name)
    {
        foreach (var line in (Read(file) ?? "").Split('\n'))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[0] == name && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }
}

/// <summary>cgroup v1: a group in the memory hierarchy and one in the cpu hierarchy, of the same name.</summary>
internal sealed class V1InstanceGroup : InstanceGroup
{
    private readonly string _memory;
    private readonly string _cpu;

    private V1InstanceGroup(string memory, string cpu, int memoryMb) : base(memoryMb) => (_memory, _cpu) = (memory, cpu);

    public override IReadOnlyList<string> Directories => [_memory, _cpu];

    protected override IEnumerable<string> ProcsFiles => [Path.Join(_memory, "cgroup.procs"), Path.Join(_cpu, "cgroup.procs")];

    protected override string CpuStatFile => Path.Join(_cpu, "cpu.stat");

    public static V1InstanceGroup Create(string memoryParent, string cpuParent, string name, int memoryMb)
    {
        var memory = Directory.CreateDirectory(Path.Join(memoryParent, name)).FullName;
        var group = new V1InstanceGroup(memory, Path.Join(cpuParent, name), memoryMb);
        try
        {
            Directory.CreateDirectory(group._cpu);
            var bytes = (memoryMb * 1024L * 1024L).ToString(CultureInfo.InvariantCulture);
            Write(Path.Join(memory, "memory.limit_in_bytes"), bytes);
            // memory+swap equal to memory: no swap, as on Lambda. Absent when the kernel does not account swap.
            if (File.Exists(Path.Join(memory, "memory.memsw.limit_in_bytes")))
            {
                Write(Path.Join(memory, "memory.memsw.limit_in_bytes"), bytes);
            }
            else
            {
                Write(Path.Join(memory, "memory.swappiness"), "0");
            }
            Write(Path.Join(group._cpu, "cpu.cfs_period_us"), PeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    public override long? PeakBytes() => (_peak ??= KernelFile.TryOpen(Path.Join(_memory, "memory.max_usage_in_bytes")))?.Number();

    /// <summary>oom_kill in memory.oom_control (Linux 4.13 on); before it, a limit hit (failcnt) is the best sign there is.</summary>
    public override bool OutOfMemoryKilled() =>
        StatField(Path.Join(_memory, "memory.oom_control"), "oom_kill") is { } kills
            ? kills > 0
            : ReadNumber(Path.Join(_memory, "memory.failcnt")) > 0;

    public override (long? Quota, long Period) CpuLimit()
    {
        var quota = ReadNumber(Path.Join(_cpu, "cpu.cfs_quota_us"));
        return (quota is null or < 0 ? null : quota, ReadNumber(Path.Join(_cpu, "cpu.cfs_period_us")) ?? PeriodMicroseconds);
    }

    protected override void SetCpuQuota(long quotaMicroseconds) =>
        Write(Path.Join(_cpu, "cpu.cfs_quota_us"), quotaMicroseconds.ToString(CultureInfo.InvariantCulture));
}

/// <summary>cgroup v2: one group with the cpu and memory controllers its parent enables.</summary>
internal sealed class V2InstanceGroup : InstanceGroup
{
    private readonly string _directory;

    private V2InstanceGroup(string directory, int memoryMb) : base(memoryMb) => _directory = directory;

    public override IReadOnlyList<string> Directories => [_directory];

    protected override IEnumerable<string> ProcsFiles => [Path.Join(_directory, "cgroup.procs")];

    protected override string CpuStatFile => Path.Join(_directory, "cpu.stat");

    public static V2InstanceGroup Create(string parent, string name, int memoryMb)
    {
        var group = new V2InstanceGroup(Directory.CreateDirectory(Path.Join(parent, name)).FullName, memoryMb);
        try
        {
            Write(Path.Join(group._directory, "memory.max"), (memoryMb * 1024L * 1024L).ToString(CultureInfo.InvariantCulture));
            if (File.Exists(Path.Join(group._directory, "memory.swap.max")))
            {
                Write(Path.Join(group._directory, "memory.swap.max"), "0");
            }
            // The whole environment goes at once, as Lambda's does, not one thread's process among several.
            if (File.Exists(Path.Join(group._directory, "memory.oom.group")))
            {
                Write(Path.Join(group._directory, "memory.oom.group"), "1");
            }
            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>memory.peak (Linux 5.19 on); null before, and the memory watch's figure stands.</summary>
    public override long? PeakBytes() => (_peak ??= KernelFile.TryOpen(Path.Join(_directory, "memory.peak")))?.Number();

    public override bool OutOfMemoryKilled() => StatField(Path.Join(_directory, "memory.events"), "oom_kill") > 0;

    public override (long? Quota, long Period) CpuLimit()
    {
        var parts = (Read(Path.Join(_directory, "cpu.max")) ?? "max").Split(' ');
        long? quota = long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var q) ? q : null;
        var period = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : PeriodMicroseconds;
        return (quota, period);
    }

    protected override void SetCpuQuota(long quotaMicroseconds) =>
        Write(Path.Join(_directory, "cpu.max"), $"{quotaMicroseconds.ToString(CultureInfo.InvariantCulture)} {PeriodMicroseconds.ToString(CultureInfo.InvariantCulture)}");
}
