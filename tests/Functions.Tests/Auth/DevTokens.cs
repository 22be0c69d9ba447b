using Functions.Tools.Auth;
using Functions.Tools.Template;

namespace Functions.Tests.Auth;

/// <summary>Tokens from the repository's dev issuer for its template's JWT authorizer, as ./fn token mints them.</summary>
internal static class DevTokens
{
    /// <summary>What the Items writes ask for.</summary>
    public const string WriteScope = "items:write";

    public static async Task<string> MintAsync(string subject = "test-user", string[]? scopes = null, TimeSpan? lifetime = null)
    {
        var repository = Repository.Locate();
        var template = await new TemplateSource(repository).LoadAsync();
        var authorizer = template.Authorizers.Single();
        var now = DateTimeOffset.UtcNow;
        return DevIssuer.Open(repository).Mint(new TokenRequest(authorizer.Issuer, authorizer.Audience[0], subject, scopes ?? [WriteScope], now, now + (lifetime ?? TimeSpan.FromHours(1))));
    }
}
