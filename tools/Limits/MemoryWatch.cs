namespace Functions.Tools.Limits;

/// <summary>
/// The fallback where the run is not shaped (no cgroups can be written): Lambda stops an environment that uses more
/// than its memory size, and Linux gives no per-process limit without cgroups (an address-space limit would break
/// the GC's reservations): so the process's high-water mark is read every <see cref="Interval"/> for its whole life,
/// and the process is killed past its size. The last reading also gives a crashed process's Max Memory Used, which
/// /proc no longer has after the exit.
/// </summary>
public sealed class MemoryWatch(int memoryMb, bool enforced) : InstanceLimits(memoryMb)
{
    /// <summary>
    /// How often the watch reads the high-water mark. VmHWM is the kernel's own peak, so a spike between two reads is
    /// still seen; only the kill can come up to this late.
    /// </summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly CancellationTokenSource _watching = new();
    private volatile bool _stopped;

    public override bool StoppedForMemory => _stopped;

    public override void Hold(ChildProcess process)
    {
        base.Hold(process);
        _ = WatchAsync();
    }

    public override int? PeakMb()
    {
        SampleResidentPeak();
        return ResidentPeakKib > 0 ? ProcessMemory.ToMegabytes(ResidentPeakKib) : null;
    }

    public override void BeforeKill()
    {
        base.BeforeKill();
        Stop();
    }

    public override void Dispose()
    {
        Stop();
        _watching.Dispose();
        base.Dispose();
    }

    private async Task WatchAsync()
    {
        var limitKib = MemoryMb * 1024L;
        var watching = _watching.Token;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                if (!SampleResidentPeak())
                {
                    return;
                }
                // Not enforced: the figure is an emulator's own (see InstanceLimits.For), measured only.
                if (enforced && ResidentPeakKib > limitKib && !_stopped)
                {
                    _stopped = true;
                    base.BeforeKill();
                    HeldProcess?.Kill();
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(watching).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The process is being killed, or its instance is gone.
        }
    }

    private void Stop()
    {
        try
        {
            _watching.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed with its instance already.
        }
    }
}
