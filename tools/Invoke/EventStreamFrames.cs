using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Functions.Tools.Invoke;

/// <summary>
/// application/vnd.amazon.eventstream, the framing AWS's SDKs read InvokeWithResponseStream's events from: each message
/// is its total length and its headers' length (big-endian), a CRC-32 of those eight bytes, the headers (each a name,
/// the string type 7 and a value), the payload, and a CRC-32 of everything before it.
/// </summary>
internal static class EventStreamFrames
{
    private const byte StringType = 7;
    private const int PreludeBytes = 12;
    private const int CrcBytes = 4;

    /// <summary>One event message: :message-type event, its :event-type and :content-type, and the payload.</summary>
    public static byte[] Event(string eventType, string contentType, ReadOnlySpan<byte> payload)
    {
        var headers = Headers([(":message-type", "event"), (":event-type", eventType), (":content-type", contentType)]);
        var total = PreludeBytes + headers.Length + payload.Length + CrcBytes;
        var frame = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(frame, total);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.HashToUInt32(frame.AsSpan(0, 8)));
        headers.CopyTo(frame.AsSpan(PreludeBytes));
        payload.CopyTo(frame.AsSpan(PreludeBytes + headers.Length));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - CrcBytes), Crc32.HashToUInt32(frame.AsSpan(0, total - CrcBytes)));
        return frame;
    }

    private static byte[] Headers(IEnumerable<(string Name, string Value)> headers)
    {
        using var bytes = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        foreach (var (name, value) in headers)
        {
            var encodedName = Encoding.ASCII.GetBytes(name);
            var encodedValue = Encoding.UTF8.GetBytes(value);
            bytes.WriteByte((byte)encodedName.Length);
            bytes.Write(encodedName);
            bytes.WriteByte(StringType);
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)encodedValue.Length);
            bytes.Write(length);
            bytes.Write(encodedValue);
        }
        return bytes.ToArray();
    }
}
