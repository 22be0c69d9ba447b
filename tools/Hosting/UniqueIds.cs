namespace Functions.Tools.Hosting;

/// <summary>
/// Ids that must be unique, not unpredictable: request ids, trace ids. Drawn from <see cref="Random.Shared"/>, seeded
/// once by the operating system, where <see cref="Guid.NewGuid"/> reads /dev/urandom and RandomNumberGenerator asks
/// OpenSSL (and getpid) for every id: system calls serve would make several of per request.
/// </summary>
public static class UniqueIds
{
    /// <summary>A random (version 4) UUID, as Lambda's request ids are.</summary>
    public static Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4: the high nibble of the third group
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // the RFC 9562 variant
        return new Guid(bytes);
    }

    /// <summary><paramref name="count"/> random bytes as lowercase hex.</summary>
    public static string Hex(int count)
    {
        Span<byte> bytes = stackalloc byte[count];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary><paramref name="count"/> random bytes in base64, the shape of HTTP API's request ids.</summary>
    public static string Base64(int count)
    {
        Span<byte> bytes = stackalloc byte[count];
        Random.Shared.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }
}
