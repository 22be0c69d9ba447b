using System.Text.Json;
using Functions.Tests.Instances;
using Functions.Tools.Limits;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Limits;

/// <summary>
/// The dummy function as a real process in a real cgroup: killed by the kernel at its memory size, held to its CPU
/// share once its init is over, its group gone with it; and unshaped, saying so, where cgroups cannot be written.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class LambdaShapedInstanceTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>CPU time the "spin" action burns: long enough for many 100 ms periods at 7 % of a vCPU.</summary>
    private const int SpinCpuMs = 200;

    /// <summary>
    /// In a group with a memory limit the .NET GC stops its heap at 75 % of it and throws OutOfMemoryException (the
    /// function's own error); Lambda's managed .NET runtime lifts that to the whole size (aws/aws-lambda-dotnet#1578),
    /// so there, as here with a limit above the size, the kernel is what stops a function that outgrows its memory.
    /// </summary>
    private static readonly Dictionary<string, string> HeapBeyondTheSize = new()
    {
        ["DOTNET_GCHeapHardLimit"] = (2L * DummyFunctionHost.MemoryMb * 1024 * 1024).ToString("x", System.Globalization.CultureInfo.InvariantCulture),
    };

    [CgroupFact]
    public async Task A_function_past_its_memory_size_is_killed_by_the_kernel_and_reported_out_of_memory()
    {
        // Arrange
        using var limits = ResourceLimits.Open(CpuMode.Lambda);
        await using var host = await DummyFunctionHost.StartAsync(environment: HeapBeyondTheSize, limits: limits);

        // Act
        var report = await host.InvokeAsync($$"""{"action":"allocate","mb":{{DummyFunctionHost.MemoryMb + 200}},"holdMs":5000}""");

        // Assert
        OutOfMemoryReport.AssertReportedAsLambdaDoes(report, DummyFunctionHost.MemoryMb);
        Assert.True(host.Instance.Group!.OutOfMemoryKilled(), "The kernel, not the memory watch, stopped it.");
        var peakMb = host.Instance.Group.PeakBytes()! / (1024 * 1024);
        Assert.InRange(peakMb!.Value, DummyFunctionHost.MemoryMb - 16, DummyFunctionHost.MemoryMb);
        Assert.True(await host.HasExitedWithinAsync(ExitTimeout), "The environment is gone.");
    }

    [CgroupFact]
    public async Task Max_Memory_Used_is_at_least_the_groups_peak()
    {
        // Arrange
        using var limits = ResourceLimits.Open(CpuMode.Lambda);
        await using var host = await DummyFunctionHost.StartAsync(limits: limits);

        // Act
        var report = await host.InvokeAsync("""{"action":"allocate","mb":64}""");

        // Assert
        Assert.True(report.Outcome.IsSuccess, report.Outcome.ErrorType);
        var peakMb = (int)Math.Ceiling(host.Instance.Group!.PeakBytes()!.Value / (1024.0 * 1024.0));
        Assert.True(peakMb >= 64, $"The group's peak: {peakMb} MB");
        Assert.True(report.MaxMemoryUsedMb >= peakMb, $"{report.ReportLine} vs a peak of {peakMb} MB");
        Assert.True(report.MaxMemoryUsedMb < DummyFunctionHost.MemoryMb, report.ReportLine);
    }

    [CgroupFact]
    public async Task The_init_runs_unthrottled_and_the_quota_applies_from_the_first_event_on()
    {
        // Arrange
        using var limits = ResourceLimits.Open(CpuMode.Lambda);
        await using var host = await DummyFunctionHost.StartAsync(memoryMb: 128, limits: limits);
        var duringInit = host.Instance.Group!.CpuLimit();

        // Act
        await host.InvokeAsync("""{"action":"echo"}""");

        // Assert
        Assert.Null(duringInit.Quota);
        Assert.Equal((7236L, 100_000L), host.Instance.Group.CpuLimit());
    }

    [CgroupFact]
    public async Task CPU_bound_work_takes_as_long_as_its_share_of_a_vCPU_says()
    {
        // Arrange
        using var limits = ResourceLimits.Open(CpuMode.Lambda);
        await using var small = await DummyFunctionHost.StartAsync(memoryMb: 128, limits: limits);
        await using var vcpu = await DummyFunctionHost.StartAsync(memoryMb: 1769, limits: limits);
        await small.InvokeAsync("""{"action":"echo"}""");
        await vcpu.InvokeAsync("""{"action":"echo"}""");
        var throttledBefore = small.Instance.Group!.ThrottledPeriods();

        // Act
        var slow = await small.InvokeAsync($$"""{"action":"spin","ms":{{SpinCpuMs}}}""");
        var fast = await vcpu.InvokeAsync($$"""{"action":"spin","ms":{{SpinCpuMs}}}""");

        // Assert: 7.2 % of a vCPU needs 200 / 0.072 = 2.8 s for 200 ms of CPU, however idle the machine (a busy one only
        // adds); 7.2 % against a whole vCPU is 14x, and 4x leaves the 1,769 MB run room for a loaded 2-core machine.
        Assert.True(slow.Outcome.IsSuccess && fast.Outcome.IsSuccess, slow.ReportLine + "\n" + fast.ReportLine);
        var figures = $"128 MB: {slow.DurationMs:0} ms; 1,769 MB: {fast.DurationMs:0} ms for {SpinCpuMs} ms of CPU";
        Assert.True(slow.DurationMs >= 0.8 * SpinCpuMs / LambdaShape.Vcpus(128), figures);
        Assert.True(slow.DurationMs >= 4 * fast.DurationMs, figures);
        Assert.True(small.Instance.Group.ThrottledPeriods() > throttledBefore, "The 128 MB instance waited for its quota.");
    }

    [CgroupFact]
    public async Task The_group_is_removed_when_the_instance_ends()
    {
        // Arrange
        using var limits = ResourceLimits.Open(CpuMode.Lambda);
        var host = await DummyFunctionHost.StartAsync(limits: limits);
        await host.InvokeAsync("""{"action":"echo"}""");
        var directories = host.Instance.Group!.Directories;
        Assert.All(directories, d => Assert.True(Directory.Exists(d), d));

        // Act
        await host.DisposeAsync();

        // Assert
        Assert.All(directories, d => Assert.False(Directory.Exists(d), d));
    }

    [CgroupFact]
    public void The_kernel_weighs_the_run_as_many_processes_as_it_holds_instances()
    {
        // Arrange
        using var limits = ResourceLimits.Open(CpuMode.Lambda);
        var (file, perProcess) = limits.Version == 1
            ? (Path.Join(limits.RunDirectories.Last(), "cpu.shares"), 1024)
            : (Path.Join(limits.RunDirectories.Single(), "cpu.weight"), 100);

        // Act
        using var first = limits.CreateGroup("dummy-1", 256)!;
        using var second = limits.CreateGroup("dummy-2", 256)!;
        using var third = limits.CreateGroup("dummy-3", 256)!;

        // Assert
        Assert.Equal(3 * perProcess, int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [CgroupFact]
    public void Groups_a_crashed_run_left_are_removed_when_a_run_starts()
    {
        // Arrange: a pid above any pid_max is a run that no longer exists.
        using var probe = ResourceLimits.Open(CpuMode.Lambda);
        var parent = Path.GetDirectoryName(probe.RunDirectories[0])!;
        var stale = Path.Join(parent, "fn-999999999-1");
        Directory.CreateDirectory(Path.Join(stale, "dummy-1"));

        // Act
        using var limits = ResourceLimits.Open(CpuMode.Lambda);

        // Assert
        Assert.False(Directory.Exists(stale));
        Assert.All(probe.RunDirectories, d => Assert.True(Directory.Exists(d), $"A live run's group stays: {d}"));
    }

    [Fact]
    public async Task Where_cgroups_cannot_be_written_the_instance_runs_unshaped_and_says_why()
    {
        // Arrange
        using var limits = ResourceLimits.Open(CpuMode.Lambda, root: Path.Join(Path.GetTempPath(), "fn-no-cgroups-here"));
        await using var host = await DummyFunctionHost.StartAsync(limits: limits);

        // Act
        var report = await host.InvokeAsync("""{"action":"echo"}""");

        // Assert
        Assert.True(report.Outcome.IsSuccess, report.Outcome.ErrorType);
        Assert.Null(host.Instance.Group);
        Assert.False(limits.IsShaped);
        Assert.StartsWith("CPU: host, not shaped: ", limits.Describe(), StringComparison.Ordinal);
        Assert.EndsWith("; run as root or delegate a cgroup v2 subtree", limits.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_CPU_is_asked_for_by_name()
    {
        // Act
        using var limits = ResourceLimits.Open(CpuMode.Host);

        // Assert
        Assert.Equal("CPU: host, not shaped (--cpu host)", limits.Describe());
    }

    [CgroupFact]
    public void A_shaped_run_names_its_cgroup_version_and_the_CPU_share()
    {
        // Act
        using var limits = ResourceLimits.Open(CpuMode.Lambda);

        // Assert
        Assert.Matches(@"^CPU: Lambda-shaped \(cgroup v[12]\), 256 MB = 14\.5 % of a vCPU", limits.Describe(256));
    }
}

/// <summary>
/// Runs its tests while no other test runs: the CPU test compares wall times, and a whole vCPU's run is only as fast
/// as what else the machine is doing lets it be.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone on the machine";
}
