using Functions.Tools.Limits;

namespace Functions.Tests.Limits;

/// <summary>Finding our own cgroups from /proc/self/cgroup and /proc/self/mountinfo, as machines write them.</summary>
public sealed class CgroupPlaceTests
{
    private const string V1Mounts = """
        30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    [Fact]
    public void A_v1_machine_gives_the_memory_and_cpu_hierarchies_each_its_own_place()
    {
        // Arrange
        const string cgroup = "4:memory:/process_api/22e2\n1:cpu:/\n0::/\n";

        // Act
        var place = CgroupPlace.Find(cgroup, V1Mounts, null, out _);

        // Assert
        Assert.Equal(new CgroupPlace(1, "/sys/fs/cgroup/memory/process_api/22e2", "/sys/fs/cgroup/cpu"), place);
    }

    [Fact]
    public void Controllers_mounted_together_share_a_hierarchy()
    {
        // Arrange
        const string cgroup = "3:cpu,cpuacct:/user.slice\n5:memory:/user.slice\n";
        const string mounts = """
            31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            """;

        // Act
        var place = CgroupPlace.Find(cgroup, mounts, null, out _);

        // Assert
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct/user.slice", place?.CpuDirectory);
    }

    [Fact]
    public void A_v2_machine_gives_one_place_in_the_unified_hierarchy()
    {
        // Arrange
        const string cgroup = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/run.scope\n";
        const string mounts = "25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";

        // Act
        var place = CgroupPlace.Find(cgroup, mounts, null, out _);

        // Assert
        Assert.Equal(2, place?.Version);
        Assert.Equal("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/run.scope", place?.MemoryDirectory);
    }

    [Fact]
    public void A_mount_of_part_of_the_hierarchy_shows_the_group_from_its_root()
    {
        // Arrange: a container without a cgroup namespace sees its own group mounted at /sys/fs/cgroup.
        const string cgroup = "0::/docker/abc\n";
        const string mounts = "25 1 0:22 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n";

        // Act
        var place = CgroupPlace.Find(cgroup, mounts, null, out _);

        // Assert
        Assert.Equal("/sys/fs/cgroup", place?.MemoryDirectory.TrimEnd('/'));
    }

    [Fact]
    public void A_machine_without_cgroups_says_so()
    {
        // Act
        var place = CgroupPlace.Find("", "22 1 0:21 / /proc rw - proc proc rw\n", null, out var reason);

        // Assert
        Assert.Null(place);
        Assert.Equal("no cgroup file system is mounted", reason);
    }

    [Fact]
    public void A_root_given_stands_for_every_mount()
    {
        // Act
        var place = CgroupPlace.Find("4:memory:/a\n1:cpu:/\n", V1Mounts, "/tmp/fake", out _);

        // Assert
        Assert.Equal("/tmp/fake/memory/a", place?.MemoryDirectory);
    }

    [Theory]
    [InlineData(128, "128 MB = 7.2 % of a vCPU")]
    [InlineData(256, "256 MB = 14.5 % of a vCPU")]
    [InlineData(1769, "1,769 MB = 1 vCPU")]
    [InlineData(10240, "10,240 MB = 5.79 vCPUs")]
    public void Memory_buys_CPU_as_on_Lambda(int memoryMb, string expected) =>
        Assert.Equal(expected, LambdaShape.Describe(memoryMb));
}
