using System.Runtime.InteropServices;

namespace Functions.Tools.Hosting;

/// <summary>
/// The C heap under the runtime (Kestrel's sockets, OpenSSL, the runtime's own structures). glibc keeps what a busy
/// thread freed in that thread's arena for its next allocation: after a burst on a dozen threads that is tens of MB
/// nobody will use until the next burst, and it is handed back only when asked.
/// </summary>
public static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the free memory of every arena to the system; nothing where the C library has no malloc_trim (musl).</summary>
    public static void GiveBack()
    {
        if (_unavailable)
        {
            return;
        }
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
