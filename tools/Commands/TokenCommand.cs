using System.CommandLine;
using System.Globalization;
using Functions.Declarations;
using Functions.Tools.Auth;
using Functions.Tools.Template;

namespace Functions.Tools.Commands;

/// <summary>
/// ./fn token [--sub S] [--scope S]... [--expires 1h]: a token from the dev issuer for the template's JWT authorizer
/// (its issuer, its first audience), on stdout alone so $(./fn token) can be sent as it is. ./fn serve accepts it; the
/// deployed API does not (it checks the real issuer's keys).
/// </summary>
public static class TokenCommand
{
    public const string DefaultSubject = "dev-user";

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public static Command Create()
    {
        var subject = new Option<string>("--sub") { Description = "Who the token is for (its sub claim).", DefaultValueFactory = _ => DefaultSubject };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the token carries (repeat for several), e.g. --scope items:write.", AllowMultipleArgumentsPerToken = false };
        var expires = new Option<string>("--expires") { Description = "How long it is valid: 90s, 30m, 1h, 7d (at most 30d).", DefaultValueFactory = _ => "1h" };
        var audience = new Option<string?>("--audience") { Description = "The aud claim (default: the authorizer's first audience); another one makes a token serve refuses." };
        var command = new Command("token", "Mint a token from the local dev issuer (its key is kept in .fn/dev-issuer) for the API's JWT authorizer: "
            + "send it as Authorization: Bearer TOKEN to fn serve.")
        {
            subject, scopes, expires, audience,
        };
        CommonOptions.Require(subject, s => !string.IsNullOrWhiteSpace(s), "--sub cannot be empty.");
        CommonOptions.Require(scopes, list => list.All(s => RouteRules.CheckScope(s) is null), "--scope takes one scope of printable characters without spaces, quotes or backslashes; repeat --scope for several.");
        CommonOptions.Require(expires, text => ParseLifetime(text) is { } lifetime && lifetime > TimeSpan.Zero && lifetime <= MaxLifetime, "--expires takes a duration such as 90s, 30m, 1h or 7d, at most 30d.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repository = Repository.Locate();
            var template = await new TemplateSource(repository).LoadAsync(cancellationToken);
            var authorizer = template.Authorizers.FirstOrDefault()
                ?? throw new UserError("The API has no JWT authorizer, so it takes no token: set jwtIssuer and jwtAudience in cdk.json's context (see the README, Authorization).");
            var lifetime = ParseLifetime(parse.GetValue(expires)!)!.Value;
            var granted = parse.GetValue(scopes) ?? [];
            var token = DevIssuer.Open(repository).MintFor(authorizer, parse.GetValue(subject)!, granted, lifetime, parse.GetValue(audience));
            Console.Out.WriteLine(token);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"A token for {parse.GetValue(subject)} from the dev issuer (iss {authorizer.Issuer}), {(granted.Length == 0 ? "no scope" : "scope " + string.Join(' ', granted))}, valid until {DateTimeOffset.UtcNow + lifetime:yyyy-MM-ddTHH:mm:ssZ}: fn serve takes it, the deployed API does not."));
            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>The command that mints a token with these scopes, for hints: "./fn token --scope items:write".</summary>
    public static string CommandFor(IEnumerable<string> scopes) => Repository.CommandHere + " token" + string.Concat(scopes.Select(s => " --scope " + s));

    /// <summary>"90s", "30m", "1h", "7d" -> the span; null for anything else.</summary>
    public static TimeSpan? ParseLifetime(string text)
    {
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 100_000_000)
        {
            return null;
        }
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(count),
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            _ => null,
        };
    }
}
