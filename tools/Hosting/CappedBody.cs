using System.Buffers;

namespace Functions.Tools.Hosting;

/// <summary>Reads a request body up to a limit, for the servers that refuse larger ones (Runtime API 6 MB, gateway 10 MB).</summary>
public static class CappedBody
{
    // Stream.CopyTo's buffer size: under the large-object heap threshold.
    private const int ChunkBytes = 81920;

    /// <summary>The whole body, or null as soon as it is known to be longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, int maxBytes, long? declaredLength, CancellationToken cancellationToken)
    {
        // A declared oversize body is refused before a byte of it is read; a chunked one is counted as it arrives.
        if (declaredLength > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream((int)Math.Min(declaredLength ?? 0, maxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
