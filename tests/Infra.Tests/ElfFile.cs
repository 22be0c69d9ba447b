using System.Buffers.Binary;
using System.Text;

namespace Functions.Infra.Tests;

/// <summary>The few fields of an ELF executable that say what it runs on (the System V ABI's ELF header and PT_INTERP).</summary>
internal sealed record ElfFile(int Class, int Machine, string? Interpreter)
{
    public const int Class64 = 2;
    public const int MachineAarch64 = 183;
    public const int MachineX86_64 = 62;

    public static ElfFile Read(byte[] bytes)
    {
        Assert.Equal("\u007fELF"u8.ToArray(), bytes[..4]);
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(18));
        var programHeaders = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(54));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(56));
        string? interpreter = null;
        for (var i = 0; i < count; i++)
        {
            var header = bytes.AsSpan(programHeaders + i * entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) == 3) // PT_INTERP
            {
                var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
                var size = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
                interpreter = Encoding.ASCII.GetString(bytes, offset, size).TrimEnd('\0');
            }
        }
        return new ElfFile(bytes[4], machine, interpreter);
    }
}
