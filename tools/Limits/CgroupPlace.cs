namespace Functions.Tools.Limits;

/// <summary>
/// Where this process sits in the cgroup hierarchies, as folders: the memory and cpu controllers' (cgroup v1, one
/// hierarchy each, possibly mounted together) or the unified hierarchy's (cgroup v2, both the same folder).
/// Found from /proc/self/cgroup and /proc/self/mountinfo, never from assumed paths: a container mounts its own view,
/// and a process's group is nested under the one it started in (a session, a service, a job).
/// </summary>
public sealed record CgroupPlace(int Version, string MemoryDirectory, string CpuDirectory)
{
    /// <summary>
    /// The place from the two files' text, or why there is none. v1 is preferred when it holds both controllers (a
    /// hybrid machine mounts an empty unified hierarchy beside them); otherwise the unified hierarchy, v2.
    /// </summary>
    /// <param name="root">A folder standing for every cgroup mount (FN_CGROUP_ROOT): v2 at it, v1 controllers below it.</param>
    public static CgroupPlace? Find(string procSelfCgroup, string mountinfo, string? root, out string reason)
    {
        var memberships = Memberships(procSelfCgroup);
        var mounts = Mounts(mountinfo, root);
        var memory = V1Directory(memberships, mounts, "memory");
        var cpu = V1Directory(memberships, mounts, "cpu");
        if (memory is not null && cpu is not null)
        {
            reason = "";
            return new CgroupPlace(1, memory, cpu);
        }
        if (memberships.TryGetValue("", out var unified) && mounts.FirstOrDefault(m => m.Version == 2) is { } v2)
        {
            reason = "";
            var directory = Under(v2, unified);
            return new CgroupPlace(2, directory, directory);
        }
        reason = mounts.Count == 0
            ? "no cgroup file system is mounted"
            : "neither cgroup v1's memory and cpu controllers nor the unified hierarchy (v2) hold this process";
        return null;
    }

    /// <summary>"4:memory:/a/b" -> memory: /a/b; "0::/a" -> "": /a (the unified hierarchy).</summary>
    private static Dictionary<string, string> Memberships(string text)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length < 3)
            {
                continue;
            }
            if (parts[0] == "0" && parts[1].Length == 0)
            {
                groups[""] = parts[2];
                continue;
            }
            foreach (var controller in parts[1].Split(','))
            {
                groups[controller] = parts[2];
            }
        }
        return groups;
    }

    private sealed record Mount(int Version, string Root, string MountPoint, string[] Controllers);

    /// <summary>
    /// The cgroup mounts of mountinfo: "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu"
    /// (proc(5): the fields after " - " are the type, the source and the super options, where v1 names its controllers).
    /// </summary>
    private static List<Mount> Mounts(string text, string? root)
    {
        var mounts = new List<Mount>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var halves = line.Split(" - ", 2);
            var fields = halves[0].Split(' ');
            var after = halves.Length == 2 ? halves[1].Split(' ') : [];
            if (fields.Length < 5 || after.Length < 3 || after[0] is not ("cgroup" or "cgroup2"))
            {
                continue;
            }
            var version = after[0] == "cgroup2" ? 2 : 1;
            var mountPoint = Unescape(fields[4]);
            if (root is not null)
            {
                mountPoint = version == 2 ? root : Path.Combine(root, Path.GetFileName(mountPoint));
            }
            mounts.Add(new Mount(version, Unescape(fields[3]), mountPoint, version == 1 ? after[2].Split(',') : []));
        }
        return mounts;
    }

    private static string? V1Directory(Dictionary<string, string> memberships, List<Mount> mounts, string controller) =>
        memberships.TryGetValue(controller, out var path) && mounts.FirstOrDefault(m => m.Version == 1 && m.Controllers.Contains(controller)) is { } mount
            ? Under(mount, path)
            : null;

    /// <summary>The group's folder: its path is the hierarchy's, and the mount shows that hierarchy from its root on.</summary>
    private static string Under(Mount mount, string path)
    {
        var relative = mount.Root == "/" ? path : path.StartsWith(mount.Root, StringComparison.Ordinal) ? path[mount.Root.Length..] : path;
        return Path.Join(mount.MountPoint, relative.TrimStart('/'));
    }

    /// <summary>mountinfo writes a space as \040 (and tab, newline, backslash likewise in octal).</summary>
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
