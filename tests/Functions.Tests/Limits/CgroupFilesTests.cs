using Functions.Tools.Limits;

namespace Functions.Tests.Limits;

/// <summary>
/// What the limits write into a cgroup v2 tree, on a folder that plays one (plain files where the kernel would have
/// its own): the same code as on a machine with v2, without one.
/// </summary>
public sealed class CgroupFilesTests : IDisposable
{
    private readonly DirectoryInfo _tree = Directory.CreateTempSubdirectory("fn-cgroup-v2-");

    [Fact]
    public void A_v2_instance_gets_its_memory_size_no_swap_and_the_CPU_quota_once_init_is_over()
    {
        // Arrange
        File.WriteAllText(Path.Join(_tree.FullName, "cgroup.controllers"), "cpuset cpu io memory pids\n");
        using var limits = ResourceLimits.OpenAt(new CgroupPlace(2, _tree.FullName, _tree.FullName));
        var run = limits.RunDirectories.Single();

        // Act
        using var group = limits.CreateGroup("dummy-1", 256)!;
        var duringInit = File.Exists(Path.Join(run, "dummy-1", "cpu.max"));
        group.EndInitBurst();

        // Assert
        Assert.Equal("+cpu +memory", File.ReadAllText(Path.Join(_tree.FullName, "cgroup.subtree_control")));
        Assert.Equal("+cpu +memory", File.ReadAllText(Path.Join(run, "cgroup.subtree_control")));
        Assert.Equal((256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Join(run, "dummy-1", "memory.max")));
        Assert.False(duringInit);
        Assert.Equal("14471 100000", File.ReadAllText(Path.Join(run, "dummy-1", "cpu.max")));
    }

    [Fact]
    public void The_run_weighs_as_many_processes_as_it_holds_instances()
    {
        // Arrange
        File.WriteAllText(Path.Join(_tree.FullName, "cgroup.controllers"), "cpuset cpu io memory pids\n");
        using var limits = ResourceLimits.OpenAt(new CgroupPlace(2, _tree.FullName, _tree.FullName));
        var weight = Path.Join(limits.RunDirectories.Single(), "cpu.weight");

        // Act
        var first = limits.CreateGroup("dummy-1", 256)!;
        using var second = limits.CreateGroup("dummy-2", 256)!;
        var withTwo = File.ReadAllText(weight);
        first.Dispose();

        // Assert
        Assert.Equal("200", withTwo);
        Assert.Equal("100", File.ReadAllText(weight));
    }

    [Fact]
    public void A_v2_group_without_the_cpu_and_memory_controllers_runs_unshaped_and_says_why()
    {
        // Arrange
        File.WriteAllText(Path.Join(_tree.FullName, "cgroup.controllers"), "pids\n");

        // Act
        using var limits = ResourceLimits.OpenAt(new CgroupPlace(2, _tree.FullName, _tree.FullName));

        // Assert
        Assert.Equal($"the cgroup v2 group {_tree.FullName} is not given the cpu and memory controllers", limits.NotShapedReason);
    }

    public void Dispose() => _tree.Delete(recursive: true);
}
