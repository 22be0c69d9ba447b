using System.Buffers;
using System.Runtime.InteropServices;

namespace Functions.Tools.Hosting;

/// <summary>
/// Bytes outside the GC heap, freed the moment they are disposed. A request body is needed only until its event is
/// written; as a managed array it would stay in memory until the next full collection, so a burst of large bodies
/// cost the bodies and the events at once. Freed at once (glibc gives large blocks straight back), it costs the events.
/// </summary>
public sealed unsafe partial class NativeBuffer : MemoryManager<byte>
{
    /// <summary>mallopt's M_MMAP_THRESHOLD.</summary>
    private const int MmapThreshold = -3;

    private byte* _pointer;
    private readonly int _length;

    /// <summary>
    /// glibc raises its mmap threshold to the size of each large block freed (up to 32 MB), after which blocks that
    /// size come from its heap and are not given back on free. A fixed threshold keeps every body its own mapping.
    /// </summary>
    static NativeBuffer()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Mallopt(MmapThreshold, 128 * 1024);
        }
    }

    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _length = length;
        _pointer = (byte*)NativeMemory.Alloc((nuint)Math.Max(length, 1));
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        return new Span<byte>(_pointer, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
        // Native memory never moves.
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    protected override void Dispose(bool disposing)
    {
        if (_pointer is not null)
        {
            NativeMemory.Free(_pointer);
            _pointer = null;
        }
    }
}
