using System.Security.Cryptography;
using System.Text;
using Functions.Tools.Auth;
using Functions.Tools.Template;
using Microsoft.IdentityModel.Tokens;

namespace Functions.Tests.Auth;

/// <summary>Tokens for the repository's template's JWT authorizer (its issuer, its first audience), as ./fn token mints them.</summary>
internal static class DevTokens
{
    /// <summary>What the Items writes ask for.</summary>
    public const string WriteScope = "items:write";

    /// <param name="signer">Whose key signs it: the repository's dev issuer unless given.</param>
    public static async Task<string> MintAsync(string subject = "test-user", string[]? scopes = null, TimeSpan? lifetime = null, DevIssuer? signer = null)
    {
        var repository = Repository.Locate();
        var authorizer = (await new TemplateSource(repository).LoadAsync()).Authorizers.Single();
        return (signer ?? DevIssuer.Open(repository)).MintFor(authorizer, subject, scopes ?? [WriteScope], lifetime ?? TimeSpan.FromHours(1));
    }

    /// <summary>
    /// A token of the repository's dev issuer (as serve trusts it) over these claims, written as JSON members; the
    /// template's issuer and first audience are put in for {iss} and {aud}.
    /// </summary>
    public static async Task<string> SignClaimsAsync(string members)
    {
        var repository = Repository.Locate();
        var authorizer = (await new TemplateSource(repository).LoadAsync()).Authorizers.Single();
        var issuer = DevIssuer.Open(repository);
        var payload = "{" + members.Replace("{iss}", authorizer.Issuer, StringComparison.Ordinal).Replace("{aud}", authorizer.Audience[0], StringComparison.Ordinal) + "}";
        return Sign(issuer, HeaderOf(issuer), payload);
    }

    /// <summary>The header the dev issuer's tokens carry: RS256 and its key's kid.</summary>
    public static string HeaderOf(DevIssuer issuer) => $$"""{"alg":"RS256","kid":"{{issuer.PublicKey.KeyId}}","typ":"JWT"}""";

    /// <summary>
    /// A token over exactly these header and payload bytes, with a real RS256 signature by the issuer's key: the
    /// shapes no minting library makes (a string exp, bytes after the JSON, duplicate claims), signed as an issuer
    /// that made them would sign them, so the authorizer must refuse them for what they are, not for their signature.
    /// </summary>
    public static string SignBytes(DevIssuer issuer, byte[] header, byte[] payload)
    {
        var signingInput = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}";
        return $"{signingInput}.{Base64UrlEncoder.Encode(SignatureOf(issuer, signingInput))}";
    }

    /// <inheritdoc cref="SignBytes"/>
    public static string Sign(DevIssuer issuer, string header, string payload) =>
        SignBytes(issuer, Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(payload));

    /// <summary>RS256 (RFC 7518 §3.3) over the ASCII signing input, with the dev issuer's private key read from its PEM as any tool could.</summary>
    public static byte[] SignatureOf(DevIssuer issuer, string signingInput)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(issuer.Folder, "signing-key.pem")));
        return rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
