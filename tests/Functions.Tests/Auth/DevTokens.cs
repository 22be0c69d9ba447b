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
        var authorizer = (await new TemplateSource(repository).LoadAsync()).Authorizers.Single();
        return (signer ?? DevIssuer.Open(repository)).MintFor(authorizer, subject, scopes ?? [WriteScope], lifetime ?? TimeSpan.FromHours(1));
    }
}
