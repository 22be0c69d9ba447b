using System.Globalization;

namespace Functions.Tools.DynamoDb;

/// <summary>
/// Which process holds a dynalite data dir: LevelDB takes a POSIX lock on the folder's LOCK file for as long as it
/// has the store open. A second dynalite on the same folder would not fail at start but on every request, after the
/// SDK's retries; this finds the holder first, from /proc, so serve can refuse at once and name it. A lock whose
/// process died is released by the kernel with the process, so a stale LOCK file is no obstacle and needs no repair.
/// </summary>
public sealed record DataDirectoryHolder(int ProcessId, string CommandLine, int ParentId, string ParentCommandLine)
{
    public const string LockFileName = "LOCK";

    /// <summary>The process other than <paramref name="except"/> that has the folder's LOCK open and locked, if any.</summary>
    public static DataDirectoryHolder? Find(string dataDirectory, int? except = null)
    {
        var lockFile = Path.GetFullPath(Path.Combine(dataDirectory, LockFileName));
        if (!OperatingSystem.IsLinux() || !File.Exists(lockFile))
        {
            return null;
        }
        var locking = LockingProcesses();
        foreach (var pid in locking)
        {
            if (pid != except && pid != Environment.ProcessId && HasOpen(pid, lockFile))
            {
                var parent = ParentOf(pid);
                return new DataDirectoryHolder(pid, CommandLineOf(pid), parent, parent > 0 ? CommandLineOf(parent) : "");
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="processId"/> is the holder (its lock may take a moment after it starts).</summary>
    public static bool IsHeldBy(string dataDirectory, int processId) =>
        OperatingSystem.IsLinux()
        && LockingProcesses().Contains(processId)
        && HasOpen(processId, Path.GetFullPath(Path.Combine(dataDirectory, LockFileName)));

    /// <summary>What to tell the user: who has the folder, and how to get it back.</summary>
    public string Describe(string shownDirectory)
    {
        var holder = $"dynalite (pid {ProcessId}: {Shorten(CommandLine)})";
        var owner = ParentCommandLine.Contains("fn.dll serve", StringComparison.Ordinal) || ParentCommandLine.Contains("fn serve", StringComparison.Ordinal)
            ? $"started by another fn serve (pid {ParentId}). Stop that serve (Ctrl-C)"
            : ParentId <= 1
                ? $"left running with no parent. Stop it (kill {ProcessId})"
                : $"started by pid {ParentId} ({Shorten(ParentCommandLine)}). Stop it";
        return $"The data dir {shownDirectory} is in use by {holder}, {owner}, or give this serve its own --data-dir DIR (or --in-memory).";
    }

    /// <summary>Pids with a POSIX lock, from /proc/locks ("1: POSIX  ADVISORY  WRITE 4242 08:01:1234 0 EOF").</summary>
    private static HashSet<int> LockingProcesses()
    {
        var pids = new HashSet<int>();
        try
        {
            foreach (var line in File.ReadLines("/proc/locks"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 4 && fields[1] == "POSIX" && int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    pids.Add(pid);
                }
            }
        }
        catch (IOException)
        {
        }
        return pids;
    }

    private static bool HasOpen(int processId, string file)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd")
                .Any(fd => string.Equals(new FileInfo(fd).LinkTarget, file, StringComparison.Ordinal));
        }
        // Gone meanwhile, or another user's process (whose fds we may not read).
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int ParentOf(int processId)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    private static string CommandLineOf(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static string Shorten(string commandLine) => commandLine.Length <= 120 ? commandLine : commandLine[..117] + "...";
}
