namespace Functions.Tools.Hosting;

/// <summary>
/// Writes a large body in slices. Kestrel copies a write whole into its pooled, pinned blocks before it applies
/// back-pressure, and keeps those blocks for the next connection: twenty 5 MB events written at once left ~90 MB of
/// them behind. In slices, a connection holds at most about one slice and Kestrel's response buffer.
/// </summary>
public static class BoundedWrite
{
    private const int SliceBytes = 64 * 1024;

    public static async Task WriteAsync(Stream destination, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        for (var offset = 0; offset < body.Length; offset += SliceBytes)
        {
            await destination.WriteAsync(body.Slice(offset, Math.Min(SliceBytes, body.Length - offset)), cancellationToken).ConfigureAwait(false);
        }
    }
}
