namespace Functions.Tools.Limits;

/// <summary>
/// What holds one instance to its memory size and tells what it used: its cgroup (<see cref="CgroupLimits"/>), or,
/// where no cgroup can be written, the memory watch (<see cref="MemoryWatch"/>). The instance asks the same questions
/// of either: what the peak was, whether it was stopped for its memory, and says when its init is over.
/// </summary>
public abstract class InstanceLimits : IDisposable
{
    private ChildProcess? _process;
    private KernelFile? _status;
    private long _residentPeakKib;

    protected InstanceLimits(int memoryMb) => MemoryMb = memoryMb;

    public int MemoryMb { get; }

    /// <summary>The instance's cgroup, or null when it runs unshaped.</summary>
    public virtual InstanceGroup? Group => null;

    /// <summary>Whether it was stopped for using more than its memory size: by the kernel, or by the watch.</summary>
    public abstract bool StoppedForMemory { get; }

    /// <summary>
    /// The limits of one instance: its own cgroup in <paramref name="run"/> when the run is shaped, the memory watch
    /// otherwise. <paramref name="underEmulator"/>: the process is a user-mode emulator (qemu for arm64) running the
    /// bootstrap, whose memory and CPU are mostly the emulator's own: shaping or enforcing them would hold the wrong
    /// thing to the size, so they are only measured.
    /// </summary>
    public static InstanceLimits For(ResourceLimits? run, string name, int memoryMb, bool underEmulator)
    {
        if (!underEmulator && run?.CreateGroup(name, memoryMb) is { } group)
        {
            return new CgroupLimits(group);
        }
        return new MemoryWatch(memoryMb, enforced: !underEmulator);
    }

    /// <summary>The command that starts <paramref name="program"/> under these limits.</summary>
    public virtual (string FileName, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments) => (program, arguments);

    /// <summary>The instance's process, just started: from now on it is measured (and, by the watch, held to its size).</summary>
    public virtual void Hold(ChildProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        _process = process;
        _status = KernelFile.TryOpen($"/proc/{process.Id}/status");
    }

    /// <summary>The instance asked for its first event: its init is over.</summary>
    public virtual void InitOver()
    {
    }

    /// <summary>Max Memory Used so far, in whole megabytes; null when nothing could be read.</summary>
    public abstract int? PeakMb();

    /// <summary>The process is about to be killed: the last reading of it, which /proc no longer has after the exit.</summary>
    public virtual void BeforeKill() => SampleResidentPeak();

    public virtual void Dispose()
    {
        _status?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The process's own high-water mark (VmHWM), in KiB, as last read.</summary>
    protected long ResidentPeakKib => Interlocked.Read(ref _residentPeakKib);

    /// <summary>Reads the high-water mark into <see cref="ResidentPeakKib"/>; false once the process is gone.</summary>
    protected bool SampleResidentPeak()
    {
        try
        {
            if (_process is { HasExited: false } && _status?.Field("VmHWM:"u8) is { } kib)
            {
                long seen;
                while ((seen = Interlocked.Read(ref _residentPeakKib)) < kib && Interlocked.CompareExchange(ref _residentPeakKib, kib, seen) != seen)
                {
                }
                return true;
            }
        }
        catch (InvalidOperationException)
        {
            // The process object is gone with its instance.
        }
        return false;
    }

    /// <summary>The process, for the watch to stop.</summary>
    protected ChildProcess? HeldProcess => _process;
}
