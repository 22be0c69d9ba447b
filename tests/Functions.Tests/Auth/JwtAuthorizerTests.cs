using System.Security.Cryptography;
using System.Text;
using Functions.Tests.ApiGateway;
using Functions.Tests.DynamoDb;
using Functions.Tools.ApiGateway;
using Functions.Tools.Auth;
using Functions.Tools.Template;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Functions.Tests.Auth;

/// <summary>
/// HTTP API's JWT authorizer as serve emulates it, against real RS256 tokens signed by a real dev issuer key: the
/// documented checks in order, 401 for a bad token and 403 for a good one without the route's scope.
/// </summary>
public sealed class JwtAuthorizerTests : IDisposable
{
    private const string Issuer = "https://issuer.example.com/";
    private const string Audience = "items-api";

    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly ScratchFolder _folder = new();
    private readonly DevIssuer _issuer;
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly JwtAuthorizer _authorizer;

    private static readonly TemplateAuthorizer Template = new("JwtAuthorizer", Issuer, [Audience, "other-client"], "$request.header.Authorization");
    private static readonly RouteAuthorization AnyToken = new(Template, []);
    private static readonly RouteAuthorization Writers = new(Template, ["items:write", "items:admin"]);

    public JwtAuthorizerTests()
    {
        _issuer = DevIssuer.Open(new Repository(_folder.Path));
        _authorizer = new JwtAuthorizer(IssuerKeys.Of(_issuer, ".fn/dev-issuer"), _clock);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_valid_token_passes_with_its_claims_as_text_and_its_scopes()
    {
        var token = _issuer.Mint(Request(scopes: ["items:write", "items:read"]));

        var outcome = await AuthorizeAsync($"Bearer {token}", Writers);

        Assert.Equal(200, outcome.Status);
        var claims = outcome.Context!.Claims.ToDictionary(c => c.Key, c => c.Value);
        Assert.Equal("alice", claims["sub"]);
        Assert.Equal(Issuer, claims["iss"]);
        Assert.Equal(Audience, claims["aud"]);
        Assert.Equal(Now.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), claims["exp"]);
        Assert.Equal("items:write items:read", claims["scope"]);
        Assert.Equal(["items:write", "items:read"], outcome.Context.Scopes);
    }

    [Fact]
    public async Task The_token_may_come_without_the_Bearer_prefix()
    {
        var outcome = await AuthorizeAsync(_issuer.Mint(Request()), AnyToken);

        Assert.Equal(200, outcome.Status);
    }

    [Fact]
    public async Task A_route_without_scopes_passes_null_scopes_as_HTTP_API_does()
    {
        var outcome = await AuthorizeAsync($"Bearer {_issuer.Mint(Request(scopes: ["items:write"]))}", AnyToken);

        Assert.Equal(200, outcome.Status);
        Assert.Null(outcome.Context!.Scopes);
    }

    [Fact]
    public async Task No_Authorization_header_is_401()
    {
        var outcome = await _authorizer.AuthorizeAsync(GatewayRequests.Get("/items"), AnyToken);

        Assert.Equal((401, "the request has no Authorization header"), (outcome.Status, outcome.Reason));
    }

    [Fact]
    public async Task An_expired_token_is_401_with_no_leeway()
    {
        var token = _issuer.Mint(Request(notBefore: Now.AddHours(-1), expires: Now));

        var outcome = await AuthorizeAsync($"Bearer {token}", AnyToken);

        Assert.Equal(401, outcome.Status);
        Assert.StartsWith("the token has expired (exp 2026-12-02T12:00:00Z", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_is_valid_only_later_is_401()
    {
        var token = _issuer.Mint(Request(notBefore: Now.AddSeconds(1), expires: Now.AddHours(1)));

        var outcome = await AuthorizeAsync($"Bearer {token}", AnyToken);

        Assert.Equal(401, outcome.Status);
        Assert.StartsWith("the token is not valid yet", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_issued_in_the_future_is_401()
    {
        var token = _issuer.Mint(Request() with { IssuedAt = Now.AddMinutes(5) });

        var outcome = await AuthorizeAsync($"Bearer {token}", AnyToken);

        Assert.Equal(401, outcome.Status);
        Assert.StartsWith("the token was issued in the future", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        var token = _issuer.Mint(Request() with { Audience = "someone-else" });

        var outcome = await AuthorizeAsync($"Bearer {token}", AnyToken);

        Assert.Equal((401, "the token does not have a valid audience"), (outcome.Status, outcome.Reason));
    }

    [Fact]
    public async Task Without_aud_the_client_id_must_be_an_audience()
    {
        var accepted = await AuthorizeAsync(_issuer.Mint(Request() with { Audience = "other-client", AudienceAsClientId = true }), AnyToken);
        var refused = await AuthorizeAsync(_issuer.Mint(Request() with { Audience = "stranger", AudienceAsClientId = true }), AnyToken);

        Assert.Equal(200, accepted.Status);
        Assert.Equal((401, "the token does not have a valid client_id"), (refused.Status, refused.Reason));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_401()
    {
        var token = _issuer.Mint(Request() with { Issuer = "https://elsewhere.example.com/" });

        var outcome = await AuthorizeAsync(token, AnyToken);

        Assert.Equal((401, $"the token's issuer is not {Issuer}"), (outcome.Status, outcome.Reason));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_under_the_trusted_kid_is_401()
    {
        using var forger = RSA.Create(2048);
        var trustedKid = _issuer.PublicKey.KeyId;
        var forged = Sign(new RsaSecurityKey(forger) { KeyId = trustedKid }, SecurityAlgorithms.RsaSha256);

        var outcome = await AuthorizeAsync(forged, AnyToken);

        Assert.Equal((401, "the token's signature does not verify with the issuer's key"), (outcome.Status, outcome.Reason));
    }

    [Fact]
    public async Task A_token_whose_kid_names_no_key_of_the_issuer_is_401()
    {
        using var stranger = new ScratchFolder();
        var token = DevIssuer.Open(new Repository(stranger.Path)).Mint(Request());

        var outcome = await AuthorizeAsync(token, AnyToken);

        Assert.Equal((401, "the token's kid names none of the issuer's keys"), (outcome.Status, outcome.Reason));
    }

    [Fact]
    public async Task A_token_signed_with_a_shared_secret_is_401_since_HTTP_API_takes_RSA_only()
    {
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("a shared secret of at least thirty-two bytes")) { KeyId = _issuer.PublicKey.KeyId };

        var outcome = await AuthorizeAsync(Sign(secret, SecurityAlgorithms.HmacSha256), AnyToken);

        Assert.Equal(401, outcome.Status);
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Something_that_is_not_a_JWT_is_401(string header)
    {
        var outcome = await AuthorizeAsync(header, AnyToken);

        Assert.Equal(401, outcome.Status);
    }

    [Fact]
    public async Task A_valid_token_without_one_of_the_route_scopes_is_403()
    {
        var token = _issuer.Mint(Request(scopes: ["items:read"]));

        var outcome = await AuthorizeAsync($"Bearer {token}", Writers);

        Assert.Equal(403, outcome.Status);
        Assert.Equal("the token has none of the route's scopes (items:write, items:admin); it has items:read", outcome.Reason);
    }

    [Fact]
    public async Task One_of_the_route_scopes_is_enough_and_scp_lists_count_too()
    {
        var token = Sign(_issuer, new Dictionary<string, object> { ["scp"] = new[] { "items:admin" } });

        var outcome = await AuthorizeAsync($"Bearer {token}", Writers);

        Assert.Equal(200, outcome.Status);
        Assert.Equal(["items:admin"], outcome.Context!.Scopes);
    }

    [Fact]
    public async Task Lists_numbers_and_objects_reach_the_function_as_text()
    {
        var token = Sign(_issuer, new Dictionary<string, object>
        {
            ["cognito:groups"] = new[] { "admin", "editors" },
            ["email_verified"] = true,
            ["age"] = 42,
            ["address"] = new Dictionary<string, object> { ["zip"] = "1000", ["city"] = "Brussels" },
        });

        var outcome = await AuthorizeAsync($"Bearer {token}", AnyToken);

        var claims = outcome.Context!.Claims.ToDictionary(c => c.Key, c => c.Value);
        Assert.Equal("[admin editors]", claims["cognito:groups"]);
        Assert.Equal("true", claims["email_verified"]);
        Assert.Equal("42", claims["age"]);
        Assert.Equal("map[city:Brussels zip:1000]", claims["address"]);
    }

    private Task<AuthorizationOutcome> AuthorizeAsync(string authorization, RouteAuthorization route) =>
        _authorizer.AuthorizeAsync(GatewayRequests.Get("/items", "", ("Authorization", authorization)), route);

    private static TokenRequest Request(string[]? scopes = null, DateTimeOffset? notBefore = null, DateTimeOffset? expires = null) =>
        new(Issuer, Audience, "alice", scopes ?? [], notBefore ?? Now, expires ?? Now.AddHours(1));

    /// <summary>A token the dev issuer's own code would not make (other claims, another key or algorithm), built with the library.</summary>
    private static string Sign(SecurityKey key, string algorithm, Dictionary<string, object>? claims = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object>(claims ?? []) { ["sub"] = "alice" },
            IssuedAt = Now.UtcDateTime,
            NotBefore = Now.UtcDateTime,
            Expires = Now.AddHours(1).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private static string Sign(DevIssuer issuer, Dictionary<string, object> claims) =>
        Sign(PrivateKeyOf(issuer), SecurityAlgorithms.RsaSha256, claims);

    /// <summary>The dev issuer's signing key, read back from its PEM as any tool could.</summary>
    private static RsaSecurityKey PrivateKeyOf(DevIssuer issuer)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(issuer.Folder, "signing-key.pem")));
        return new RsaSecurityKey(rsa) { KeyId = issuer.PublicKey.KeyId };
    }
}
