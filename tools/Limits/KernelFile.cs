using Microsoft.Win32.SafeHandles;

namespace Functions.Tools.Limits;

/// <summary>
/// A file the kernel writes as it is read (/proc/PID/status, a cgroup's memory peak), opened once and read again from
/// its start on every call. Every invocation reports its Max Memory Used: opening the file each time (a path walk, an
/// fstat, a lock, a close around each read) cost serve ~7 % of its CPU under load, measured with perf.
/// </summary>
internal sealed class KernelFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private byte[] _buffer = new byte[4096];

    private KernelFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>The file, or null when it is not there (the process gone, the kernel without that file).</summary>
    public static KernelFile? TryOpen(string path)
    {
        try
        {
            return new KernelFile(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The number the file holds ("123\n"), or null when it cannot be read.</summary>
    public long? Number() => Parse(Read())?.Value;

    /// <summary>The number after "<paramref name="name"/>" on one of the file's lines ("VmHWM:   9216 kB"), or null.</summary>
    public long? Field(ReadOnlySpan<byte> name)
    {
        var text = Read();
        var at = text.IndexOf(name);
        return at >= 0 ? Parse(text[(at + name.Length)..])?.Value : null;
    }

    public void Dispose() => _handle.Dispose();

    private ReadOnlySpan<byte> Read()
    {
        try
        {
            var total = 0;
            int read;
            while ((read = RandomAccess.Read(_handle, _buffer.AsSpan(total), total)) > 0)
            {
                total += read;
                if (total < _buffer.Length)
                {
                    // The kernel fills a read of these files as far as their text goes: a short one was the end, and
                    // asking again only to hear so would double the system calls of every invocation's report.
                    break;
                }
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            return total > 0 ? _buffer.AsSpan(0, total) : default;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return default; // The process is gone (ESRCH), or its group.
        }
    }

    /// <summary>The first run of digits after any blanks, and what follows it; null when there is none.</summary>
    private static (long Value, int End)? Parse(ReadOnlySpan<byte> text)
    {
        var start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }
        var end = start;
        long value = 0;
        while (end < text.Length && text[end] is >= (byte)'0' and <= (byte)'9' && value < long.MaxValue / 10)
        {
            value = value * 10 + (text[end] - '0');
            end++;
        }
        return end > start ? (value, end) : null;
    }
}
