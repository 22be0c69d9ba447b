using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Functions.DynamoDb;

/// <summary>
/// AWS Signature Version 4 for a request without a query string
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): the canonical
/// request, the string to sign, the key derived from the secret through date, region and service, the signature.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The headers to add to the request: X-Amz-Date, X-Amz-Security-Token (with a session token), Authorization.</summary>
    /// <param name="headers">Every other header to sign, host included, as they will be sent.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(
        string method, string path, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body,
        AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var added = new List<KeyValuePair<string, string>> { new("X-Amz-Date", amzDate) };
        if (credentials.SessionToken is { } token)
        {
            added.Add(new("X-Amz-Security-Token", token));
        }
        var signed = headers.Concat(added)
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', signed.Select(h => h.Name));
        var canonicalRequest = new StringBuilder()
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append('\n') // No query string.
            .AppendJoin("", signed.Select(h => $"{h.Name}:{h.Value}\n")).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Hex(SHA256.HashData(body)))
            .ToString();
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date), region), service), "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        added.Add(new("Authorization", $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}"));
        return added;
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
