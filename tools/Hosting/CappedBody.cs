using System.Buffers;

namespace Functions.Tools.Hosting;

/// <summary>Reads a request body up to a limit, for the servers that refuse larger ones (Runtime API 6 MB, gateway 10 MB).</summary>
public static class CappedBody
{
    // Stream.CopyTo's buffer size: under the large-object heap threshold.
    private const int ChunkBytes = 81920;

    /// <summary>The whole body, or null as soon as it is known to be longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, int maxBytes, long? declaredLength, CancellationToken cancellationToken) =>
        (await ReadCountingAsync(body, maxBytes, declaredLength, countOversize: false, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>
    /// As <see cref="ReadAsync"/>, and when the body is too long, its length: the declared one, or (countOversize) the
    /// bytes counted to its end without keeping them, for a message that names the size as Lambda's does.
    /// </summary>
    public static async Task<(byte[]? Body, long Length)> ReadCountingAsync(Stream body, int maxBytes, long? declaredLength, bool countOversize, CancellationToken cancellationToken)
    {
        // A declared oversize body is refused before a byte of it is read; a chunked one is counted as it arrives.
        if (declaredLength > maxBytes)
        {
            return (null, declaredLength.Value);
        }
        if (declaredLength is { } declared)
        {
            // The length is known: one array of exactly that size, the only copy of the body this server keeps.
            var whole = await ReadDeclaredAsync(body, (int)declared, cancellationToken).ConfigureAwait(false);
            return (whole, whole.Length);
        }
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    var length = buffer.Length + read;
                    while (countOversize && (read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        length += read;
                    }
                    return (null, length);
                }
                buffer.Write(chunk, 0, read);
            }
            return (buffer.ToArray(), buffer.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>A body with a Content-Length (the server ends the stream there); a client that stops early has sent less.</summary>
    private static async Task<byte[]> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        var filled = 0;
        int read;
        while (filled < length && (read = await body.ReadAsync(bytes.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }
        return filled == length ? bytes : bytes[..filled];
    }

    /// <summary>
    /// As <see cref="ReadAsync"/>, into memory freed when the buffer is disposed (see <see cref="NativeBuffer"/>). A
    /// body without a Content-Length is gathered on the heap first, then copied.
    /// </summary>
    public static async Task<NativeBuffer?> ReadNativeAsync(Stream body, int maxBytes, long? declaredLength, CancellationToken cancellationToken)
    {
        if (declaredLength is not { } declared || declared > maxBytes)
        {
            var gathered = await ReadAsync(body, maxBytes, declaredLength, cancellationToken).ConfigureAwait(false);
            if (gathered is null)
            {
                return null;
            }
            var copy = new NativeBuffer(gathered.Length);
            gathered.CopyTo(copy.Memory);
            return copy;
        }
        var buffer = new NativeBuffer((int)declared);
        try
        {
            var memory = buffer.Memory;
            var filled = 0;
            int read;
            while (filled < memory.Length && (read = await body.ReadAsync(memory[filled..], cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }
            return filled == memory.Length ? buffer : Shortened(buffer, filled);
        }
        catch
        {
            ((IDisposable)buffer).Dispose();
            throw;
        }
    }

    private static NativeBuffer Shortened(NativeBuffer buffer, int length)
    {
        using (buffer)
        {
            var shorter = new NativeBuffer(length);
            buffer.Memory[..length].CopyTo(shorter.Memory);
            return shorter;
        }
    }
}
