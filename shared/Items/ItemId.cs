using System.Security.Cryptography;

namespace Functions.Items;

/// <summary>Item ids: 128 random bits, base64url without padding (22 characters, safe in a URL path).</summary>
public static class ItemId
{
    private const int MaxLength = 64;

    public static string New() => Base64Url.Encode(RandomNumberGenerator.GetBytes(16));

    /// <summary>An id we could have made; anything else cannot name an item, so it is not worth a DynamoDB call.</summary>
    public static bool IsWellFormed(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
