using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Functions.Tools.Auth;

/// <summary>What a token says: for whom, by whom, for what, and for how long.</summary>
public sealed record TokenRequest(string Issuer, string Audience, string Subject, IReadOnlyList<string> Scopes, DateTimeOffset NotBefore, DateTimeOffset Expires)
{
    /// <summary>When it was issued (iat); <see cref="NotBefore"/> unless set.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Put the audience in client_id instead of aud (as Cognito access tokens do).</summary>
    public bool AudienceAsClientId { get; init; }
}

/// <summary>
/// A local stand-in for the API's JWT issuer: an RSA key made once and kept under .fn/dev-issuer/ (signing-key.pem,
/// and jwks.json, its public half as a JWKS), which signs the tokens ./fn token mints. ./fn serve trusts it for the
/// template's issuer unless given the real issuer's keys (--jwks); the deployed API never does, as it fetches the
/// real issuer's keys.
/// </summary>
public sealed class DevIssuer
{
    public const string Algorithm = SecurityAlgorithms.RsaSha256;

    private readonly RsaSecurityKey _key;

    private DevIssuer(RsaSecurityKey key, string folder)
    {
        _key = key;
        Folder = folder;
    }

    /// <summary>.fn/dev-issuer under the repository.</summary>
    public string Folder { get; }

    /// <summary>The public JWKS file, usable as serve's --jwks too.</summary>
    public string JwksFile => Path.Combine(Folder, "jwks.json");

    /// <summary>The public key, with its kid, as the authorizer verifies tokens with it.</summary>
    public SecurityKey PublicKey => new RsaSecurityKey(_key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = _key.KeyId };

    public static string FolderOf(Repository repository) => Path.Combine(repository.State, "dev-issuer");

    /// <summary>The repository's dev issuer, its key made on first use (safe when two processes make it at once).</summary>
    public static DevIssuer Open(Repository repository)
    {
        var folder = FolderOf(repository);
        var keyFile = Path.Combine(folder, "signing-key.pem");
        if (!File.Exists(keyFile))
        {
            Create(folder, keyFile);
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(keyFile));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new BadFileError($"{keyFile} is not an RSA private key in PEM: delete {folder} and a new dev issuer key is made (tokens minted before stop working).", e);
        }
        var key = new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa) };
        var issuer = new DevIssuer(key, folder);
        if (!File.Exists(issuer.JwksFile))
        {
            WriteAtomically(issuer.JwksFile, issuer.Jwks());
        }
        return issuer;
    }

    /// <summary>
    /// A token for a template's JWT authorizer, as ./fn token mints it: its issuer, its first audience unless
    /// <paramref name="audience"/> names another, valid from now for <paramref name="lifetime"/>.
    /// </summary>
    public string MintFor(Template.TemplateAuthorizer authorizer, string subject, IReadOnlyList<string> scopes, TimeSpan lifetime, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        var now = DateTimeOffset.UtcNow;
        return Mint(new TokenRequest(authorizer.Issuer, audience ?? authorizer.Audience[0], subject, scopes, now, now + lifetime));
    }

    /// <summary>A signed token (RS256, with the key's kid) carrying the request's claims.</summary>
    public string Mint(TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = request.Subject,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (request.Scopes.Count > 0)
        {
            claims["scope"] = string.Join(' ', request.Scopes);
        }
        if (request.AudienceAsClientId)
        {
            claims["client_id"] = request.Audience;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = request.Issuer,
            Audience = request.AudienceAsClientId ? null : request.Audience,
            Claims = claims,
            IssuedAt = (request.IssuedAt ?? request.NotBefore).UtcDateTime,
            NotBefore = request.NotBefore.UtcDateTime,
            Expires = request.Expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, Algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>{"keys":[{kty, use, alg, kid, n, e}]}: what an issuer publishes at its jwks_uri.</summary>
    private string Jwks()
    {
        var parameters = _key.Rsa.ExportParameters(includePrivateParameters: false);
        return $$"""
            {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{_key.KeyId}}","n":"{{Base64UrlEncoder.Encode(parameters.Modulus)}}","e":"{{Base64UrlEncoder.Encode(parameters.Exponent)}}"}]}
            """;
    }

    private static void Create(string folder, string keyFile)
    {
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(2048);
        WriteAtomically(keyFile, rsa.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Written beside, then moved in place: a reader never sees half a file, and of two writers the first wins.</summary>
    private static void WriteAtomically(string path, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, mode);
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary); // Another process made it first: theirs is the one.
        }
    }

    /// <summary>The RFC 7638 thumbprint of the public key: stable for the key, different for any other.</summary>
    private static string KeyIdOf(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var canonical = $$"""{"e":"{{Base64UrlEncoder.Encode(parameters.Exponent)}}","kty":"RSA","n":"{{Base64UrlEncoder.Encode(parameters.Modulus)}}"}""";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
