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
        using var buffer = new MemoryStream((int)Math.Min(declaredLength ?? 0, maxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
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
}
