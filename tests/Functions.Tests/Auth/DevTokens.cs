using Functions.Tools.Auth;
using Functions.Tools.Template;

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
        var template = await new TemplateSource(repository).LoadAsync();
        var authorizer = template.Authorizers.Single();
        var now = DateTimeOffset.UtcNow;
        return (signer ?? DevIssuer.Open(repository)).Mint(new TokenRequest(
            authorizer.Issuer, authorizer.Audience[0], subject, scopes ?? [WriteScope], now, now + (lifetime ?? TimeSpan.FromHours(1))));
    }
}
