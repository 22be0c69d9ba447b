using System.Text;
using Functions.Tests.ApiGateway;
using Functions.Tests.DynamoDb;
using Functions.Tools.ApiGateway;
using Functions.Tools.Auth;
using Functions.Tools.Template;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Functions.Tests.Auth;

/// <summary>
/// Tokens an attacker shapes, each with a real RS256 signature by the trusted dev issuer's key (so the signature is
/// never the reason): every one is a 401 with a reason that says what is wrong, never an exception (which serve
/// answered with an empty 500) and never a pass for a claim read as something it is not.
/// </summary>
public sealed class JwtAuthorizerHardeningTests : IDisposable
{
    private const string Issuer = "https://issuer.example.com/";
    private const string Audience = "items-api";

    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    // The claims of a good token, as JSON members, now being 1796212800 (2026-12-02T12:00:00Z).
    private const string Iss = $$"""
        "iss":"{{Issuer}}"
        """;
    private const string Aud = $$"""
        "aud":"{{Audience}}"
        """;
    private const string Sub = "\"sub\":\"alice\"";
    private const string Exp = "\"exp\":1796216400";
    private const string Nbf = "\"nbf\":1796212800";
    private const string Iat = "\"iat\":1796212800";
    private const string Scope = "\"scope\":\"items:write\"";

    private readonly ScratchFolder _folder = new();
    private readonly DevIssuer _issuer;
    private readonly JwtAuthorizer _authorizer;

    private static readonly TemplateAuthorizer Template = new("JwtAuthorizer", Issuer, [Audience], "$request.header.Authorization");
    private static readonly RouteAuthorization Writers = new(Template, ["items:write"]);

    public JwtAuthorizerHardeningTests()
    {
        _issuer = DevIssuer.Open(new Repository(_folder.Path));
        _authorizer = new JwtAuthorizer(IssuerKeys.Of(_issuer, ".fn/dev-issuer"), new FakeTimeProvider(Now));
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The payloads: each a claims set a well-behaved issuer would never sign, and the reason it is refused.</summary>
    public static TheoryData<string, string> BadClaims => new()
    {
        // NumericDates of the wrong JSON type
        { Claims("\"exp\":\"1796216400\""), "the token's exp is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but a string" },
        { Claims("\"nbf\":\"1796212800\""), "the token's nbf is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but a string" },
        { Claims("\"iat\":\"1796212800\""), "the token's iat is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but a string" },
        { Claims("\"exp\":{\"at\":1796216400}"), "the token's exp is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but an object" },
        { Claims("\"exp\":[1796216400]"), "the token's exp is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but a list" },
        { Claims("\"nbf\":null"), "the token's nbf is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but null" },
        { Claims("\"iat\":true"), "the token's iat is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but true" },
        { Claims("\"exp\":\"NaN\""), "the token's exp is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but a string" },
        // NumericDates beyond any date (the JWT library cannot read 1e300, and a double not 1e400)
        { Claims("\"exp\":1e400"), "the token's exp (1e400) is not a time between the years 1 and 9999" },
        { Claims("\"exp\":" + new string('9', 400)), $"the token's exp ({new string('9', 29)}...) is not a time between the years 1 and 9999" },
        { Claims("\"exp\":-1e300"), "the token's exp (-1e300) is not a time between the years 1 and 9999" },
        { Claims("\"nbf\":1e300"), "the token's nbf (1e300) is not a time between the years 1 and 9999" },
        { Claims("\"iat\":99999999999999"), "the token's iat (99999999999999) is not a time between the years 1 and 9999" },
        // NumericDates that are numbers, compared as numbers (fractions, exponents, far ends of time)
        { Claims("\"exp\":1796212799.5"), "the token has expired (exp 2026-12-02T11:59:59.5Z, now 2026-12-02T12:00:00Z)" },
        { Claims("\"exp\":-1"), "the token has expired (exp 1969-12-31T23:59:59Z, now 2026-12-02T12:00:00Z)" },
        { Claims("\"exp\":-62135596799"), "the token has expired (exp 0001-01-01T00:00:01Z, now 2026-12-02T12:00:00Z)" },
        { Claims("\"nbf\":1796212800.25"), "the token is not valid yet (nbf 2026-12-02T12:00:00.25Z, now 2026-12-02T12:00:00Z)" },
        { Claims("\"nbf\":253402300798"), "the token is not valid yet (nbf 9999-12-31T23:59:58Z, now 2026-12-02T12:00:00Z)" },
        { Claims("\"iat\":1796212800.001"), "the token was issued in the future (iat 2026-12-02T12:00:00.001Z, now 2026-12-02T12:00:00Z)" },
        { Claims("\"iat\":1.7962128000001E+9"), "the token was issued in the future (iat 2026-12-02T12:00:00.0001Z, now 2026-12-02T12:00:00Z)" },
        // Other registered claims of the wrong JSON type
        { Claims("\"aud\":{\"0\":\"items-api\"}"), "the token's aud is not a string or a list of strings but an object" },
        { Claims("\"aud\":[\"items-api\",7]"), "the token's aud is not a string or a list of strings but a list holding something else" },
        { Claims("\"aud\":7"), "the token's aud is not a string or a list of strings but a number" },
        { Payload(Iss, Sub, Exp, "\"client_id\":[\"items-api\"]"), "the token's client_id is not a string but a list" },
        { Claims("\"scope\":{\"items:write\":true}"), "the token's scope is not a string or a list of strings but an object" },
        { Claims("\"scp\":[[\"items:write\"]]"), "the token's scp is not a string or a list of strings but a list holding something else" },
        { Claims("\"iss\":[\"" + Issuer + "\"]"), "the token's iss is not a string but a list" },
        { Claims("\"iss\":{\"url\":\"" + Issuer + "\"}"), "the token's iss is not a string but an object" },
        { Claims("\"iss\":1"), "the token's iss is not a string but a number" },
        { Claims("\"sub\":{\"id\":\"alice\"}"), "the token's sub is not a string but an object" },
        // One claim twice: whichever value a reader keeps, another reader may keep the other
        { Payload(Iss, Aud, Sub, "\"exp\":1", Exp), "the token's payload names exp more than once" },
        { Payload("\"iss\":\"https://evil.example.com/\"", Iss, Aud, Sub, Exp), "the token's payload names iss more than once" },
        { Payload(Iss, Aud, Sub, Exp, Scope, "\"scope\":\"items:admin\""), "the token's payload names scope more than once" },
        { Payload(Iss, Aud, Sub, Exp, "\"\\u0065xp\":1"), "the token's payload names exp more than once" },
        // Not one JSON object
        { Claims() + "x", "the token's payload has bytes after its JSON object" },
        { Claims() + "{}", "the token's payload has bytes after its JSON object" },
        { Claims() + "\n\u0000", "the token's payload has bytes after its JSON object" },
        { "[" + Claims() + "]", "the token's payload is not a JSON object but a list" },
        { "\"" + Iss.Replace("\"", "'", StringComparison.Ordinal) + "\"", "the token's payload is not a JSON object but a string" },
        { "1796216400", "the token's payload is not a JSON object but a number" },
        { "null", "the token's payload is not a JSON object but null" },
        { "not json", "the token's payload is not JSON (line 1, byte 2)" },
        { "{" + Iss + "," + Exp, "the token's payload is not JSON (line 1, byte 54)" },
        { "{" + Iss + "," + Exp + ",}", "the token's payload is not JSON (line 1, byte 55)" },
        { "{" + Iss + ",/* c */" + Exp + "}", "the token's payload is not JSON (line 1, byte 38)" },
        { "   ", "the token's payload is not JSON (line 1, byte 4)" },
        { Claims("\"deep\":" + new string('[', 10_000) + new string(']', 10_000)), "the token's payload nests deeper than 32 levels" },
        { Claims("\"deep\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40)), "the token's payload nests deeper than 32 levels" },
        { Claims("\"name\":\"\\ud800\""), "the token's payload holds a string with an unpaired surrogate escape (a lone \\uD800-\\uDFFF), which is no Unicode text" },
        { Claims("\"\\udc00\":\"x\""), "the token's payload holds a string with an unpaired surrogate escape (a lone \\uD800-\\uDFFF), which is no Unicode text" },
    };

    [Theory]
    [MemberData(nameof(BadClaims))]
    public async Task A_signed_token_with_a_bad_claims_set_is_401_with_the_reason(string payload, string reason)
    {
        var token = DevTokens.Sign(_issuer, DevTokens.HeaderOf(_issuer), payload);

        var outcome = await AuthorizeAsync(token);

        Assert.Equal((401, reason), (outcome.Status, outcome.Reason));
    }

    /// <summary>The headers: each one the dev issuer's key signs but the authorizer must not take.</summary>
    public static TheoryData<string, string> BadHeaders => new()
    {
        // crit (RFC 7515 section 4.1.11)
        { """{"alg":"RS256","kid":"{kid}","crit":["exp"],"exp":1796216400}""", "the token's crit marks exp critical, an extension serve does not understand, so the token must be refused (RFC 7515 section 4.1.11)" },
        { """{"alg":"RS256","kid":"{kid}","crit":["b64"],"b64":false}""", "the token's crit marks b64 critical, an extension serve does not understand, so the token must be refused (RFC 7515 section 4.1.11)" },
        { """{"alg":"RS256","kid":"{kid}","crit":[]}""", "the token's crit is not a non-empty list of header parameter names (RFC 7515 section 4.1.11)" },
        { """{"alg":"RS256","kid":"{kid}","crit":"exp","exp":1}""", "the token's crit is not a non-empty list of header parameter names (RFC 7515 section 4.1.11)" },
        { """{"alg":"RS256","kid":"{kid}","crit":[1]}""", "the token's crit is not a non-empty list of header parameter names (RFC 7515 section 4.1.11)" },
        { """{"alg":"RS256","kid":"{kid}","crit":null}""", "the token's crit is not a non-empty list of header parameter names (RFC 7515 section 4.1.11)" },
        { """{"alg":"RS256","kid":"{kid}","crit":["alg"]}""", "the token's crit lists alg, a parameter of JWS itself, which crit must not list (RFC 7515 section 4.1.11)" },
        { """{"alg":"RS256","kid":"{kid}","crit":["x-ext"]}""", "the token's crit lists x-ext, which its header does not have (RFC 7515 section 4.1.11)" },
        // The parameters the library relies on, of the wrong JSON type or twice
        { """{"alg":["RS256"],"kid":"{kid}"}""", "the token's alg is not a string but a list" },
        { """{"alg":256,"kid":"{kid}"}""", "the token's alg is not a string but a number" },
        { """{"kid":"{kid}"}""", "the token's header has no alg" },
        { """{"alg":"RS256","kid":{"id":"{kid}"}}""", "the token's kid is not a string but an object" },
        { """{"alg":"RS256","kid":"{kid}","alg":"HS256"}""", "the token's header names alg more than once" },
        { """{"alg":"RS256","kid":"other","kid":"{kid}"}""", "the token's header names kid more than once" },
        // Not one JSON object
        { """["RS256","{kid}"]""", "the token's header is not a JSON object but a list" },
        { """{"alg":"RS256","kid":"{kid}"}x""", "the token's header has bytes after its JSON object" },
        { """{"alg":"RS256","kid":"{kid}"}""" + "\u0000", "the token's header has bytes after its JSON object" },
        { "RS256", "the token's header is not JSON (line 1, byte 1)" },
        { """{"alg":"RS256","kid":"{kid}","x":""" + new string('[', 5_000) + new string(']', 5_000) + "}", "the token's header nests deeper than 32 levels" },
        { """{"alg":"RS256","kid":"{kid}","\ud800":1}""", "the token's header holds a string with an unpaired surrogate escape (a lone \\uD800-\\uDFFF), which is no Unicode text" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task A_signed_token_with_a_bad_header_is_401_with_the_reason(string header, string reason)
    {
        var token = DevTokens.Sign(_issuer, header.Replace("{kid}", _issuer.PublicKey.KeyId, StringComparison.Ordinal), Claims());

        var outcome = await AuthorizeAsync(token);

        Assert.Equal((401, reason), (outcome.Status, outcome.Reason));
    }

    /// <summary>Shapes that are not three base64url parts, and bytes that are not UTF-8, built around a good signed token.</summary>
    public static TheoryData<string, string> BadShapes => new()
    {
        { "JWE", "the token is encrypted (a JWE, five parts): HTTP API takes signed JWTs (three parts)" },
        { "two parts", "the token is not a JWT: it has 2 parts separated by dots, not three" },
        { "four parts", "the token is not a JWT: it has 4 parts separated by dots, not three" },
        { "empty header", "the token's header is empty" },
        { "empty payload", "the token's payload is empty" },
        { "empty signature", "the token has no signature (an unsecured JWT): HTTP API takes RSA-signed tokens only" },
        { "all empty", "the token has no signature (an unsecured JWT): HTTP API takes RSA-signed tokens only" },
        { "padded payload", "the token's payload is not base64url: it holds '=' (base64url is A-Z, a-z, 0-9, - and _, without padding)" },
        { "plain base64 payload", "the token's payload is not base64url: it holds '+' (base64url is A-Z, a-z, 0-9, - and _, without padding)" },
        { "space in the payload", "the token's payload is not base64url: it holds U+0020 (base64url is A-Z, a-z, 0-9, - and _, without padding)" },
        { "payload of an impossible length", "the token's payload is not base64url: 5 characters cannot be a whole number of bytes" },
        { "bad signature characters", "the token's signature is not base64url: it holds '*' (base64url is A-Z, a-z, 0-9, - and _, without padding)" },
        { "Latin-1 payload", "the token's payload is not UTF-8" },
        { "enormous", $"the token is 300002 characters long, more than the {TokenValidationParameters.DefaultMaximumTokenSizeInBytes} serve reads" },
    };

    [Theory]
    [MemberData(nameof(BadShapes))]
    public async Task A_token_that_is_not_three_base64url_JSON_parts_is_401_with_the_reason(string shape, string reason)
    {
        var header = Encoding.UTF8.GetBytes(DevTokens.HeaderOf(_issuer));
        var good = DevTokens.SignBytes(_issuer, header, Encoding.UTF8.GetBytes(Claims())).Split('.');
        var token = shape switch
        {
            "JWE" => "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn",
            "two parts" => $"{good[0]}.{good[1]}",
            "four parts" => $"{good[0]}.{good[1]}.{good[2]}.{good[2]}",
            "empty header" => $".{good[1]}.{Signature($".{good[1]}")}",
            "empty payload" => $"{good[0]}..{Signature($"{good[0]}.")}",
            "empty signature" => $"{good[0]}.{good[1]}.",
            "all empty" => "..",
            "padded payload" => Signed(good[0], Base64Padded(Claims())),
            "plain base64 payload" => Signed(good[0], Convert.ToBase64String(Encoding.UTF8.GetBytes(Claims("\"name\":\">>>>>>\"")))), // ">>>" is "Pj4+",
            "space in the payload" => Signed(good[0], good[1][..10] + " " + good[1][10..]),
            "payload of an impossible length" => Signed(good[0], "eyJhb"),
            "bad signature characters" => $"{good[0]}.{good[1]}.{good[2][..^1]}*",
            "Latin-1 payload" => DevTokens.SignBytes(_issuer, header, Encoding.Latin1.GetBytes(Claims("\"name\":\"Andr\u00e9\""))),
            "enormous" => $"{good[0]}.{new string('A', 300_000 - good[0].Length)}.",
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };

        var outcome = await AuthorizeAsync(token);

        Assert.Equal((401, reason), (outcome.Status, outcome.Reason));
    }

    [Theory]
    [InlineData("\"exp\":1796216400.5")]
    [InlineData("\"exp\":1.7962164e9")]
    [InlineData("\"exp\":1796216400.0")]
    [InlineData("\"exp\":253402300798")]
    public async Task A_NumericDate_with_a_fraction_or_an_exponent_is_a_time_like_any_other(string exp)
    {
        var token = DevTokens.Sign(_issuer, DevTokens.HeaderOf(_issuer), Claims(exp, "\"nbf\":1796212799.75", "\"iat\":1.7962128e9"));

        var outcome = await AuthorizeAsync(token);

        Assert.Equal((200, ""), (outcome.Status, outcome.Reason));
        Assert.Equal(exp[6..], outcome.Context!.Claims.Single(c => c.Key == "exp").Value);
    }

    [Fact]
    public async Task A_well_formed_claim_the_authorizer_does_not_read_may_hold_anything()
    {
        var token = DevTokens.Sign(_issuer, DevTokens.HeaderOf(_issuer), Claims("\"profile\":{\"tags\":[\"a\",null,1.5,{\"deep\":[[]]}],\"note\":\"\\ud83d\\ude00 \\u0000\"}"));

        var outcome = await AuthorizeAsync(token);

        Assert.Equal(200, outcome.Status);
        Assert.Equal("map[note:\U0001F600 \0 tags:[a  1.5 map[deep:[[]]]]]", outcome.Context!.Claims.Single(c => c.Key == "profile").Value);
    }

    [Fact]
    public async Task The_signature_still_decides_once_the_token_is_well_formed()
    {
        var token = DevTokens.Sign(_issuer, DevTokens.HeaderOf(_issuer), Claims());
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Claims("\"scope\":\"items:admin items:write\""))}.{parts[2]}";

        var outcome = await AuthorizeAsync(tampered);

        Assert.Equal((401, "the token's signature does not verify with the issuer's key"), (outcome.Status, outcome.Reason));
    }

    [Fact]
    public async Task Text_from_the_token_in_a_reason_is_printable_ASCII_so_it_cannot_break_the_log_line_or_the_header()
    {
        var duplicate = DevTokens.Sign(_issuer, DevTokens.HeaderOf(_issuer), Payload(Iss, Aud, Sub, Exp, "\"x\\r\\nSet-Cookie: a=1\u00e9\":1", "\"x\\r\\nSet-Cookie: a=1\u00e9\":2"));
        var crit = DevTokens.Sign(_issuer, $$"""{"alg":"RS256","kid":"{{_issuer.PublicKey.KeyId}}","crit":["{{new string('z', 70)}}","\n"],"{{new string('z', 70)}}":1,"\n":2}""", Claims());
        var scoped = DevTokens.Sign(_issuer, DevTokens.HeaderOf(_issuer), Claims("\"scope\":\"items:read\\nitems:write?\""));

        var outcomes = await Task.WhenAll(AuthorizeAsync(duplicate), AuthorizeAsync(crit), AuthorizeAsync(scoped));

        Assert.Equal(
            [
                "the token's payload names x\\u000D\\u000ASet-Cookie: a=1\\u00E9 more than once",
                $"the token's crit marks {new string('z', 64)}..., \\u000A critical, an extension serve does not understand, so the token must be refused (RFC 7515 section 4.1.11)",
                "the token has none of the route's scopes (items:write); it has items:read\\u000Aitems:write?",
            ],
            outcomes.Select(o => o.Reason));
    }

    [Fact]
    public void The_challenge_carries_the_reason_as_a_quoted_string_of_visible_ASCII()
    {
        var response = GatewayErrors.Unauthorized("JTHoQgzXoAMEJWA=", "a \"quoted\" \\ reason § é\r\n\0");

        var challenge = response.Headers.Single(h => h.Key == "www-authenticate").Value;

        Assert.Equal("Bearer scope=\"\" error=\"invalid_token\" error_description=\"a 'quoted' \\\\ reason ? ????\"", challenge);
    }

    private Task<AuthorizationOutcome> AuthorizeAsync(string token) =>
        _authorizer.AuthorizeAsync(GatewayRequests.Get("/items", "", ("Authorization", $"Bearer {token}")), Writers);

    private string Signature(string signingInput) => Base64UrlEncoder.Encode(DevTokens.SignatureOf(_issuer, signingInput));

    /// <summary>A header and a payload as given, signed over exactly that text.</summary>
    private string Signed(string header, string payload) => $"{header}.{payload}.{Signature($"{header}.{payload}")}";

    private static string Base64Padded(string json)
    {
        var padded = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');
        return padded.EndsWith('=') ? padded : Base64Padded(json + " ");
    }

    /// <summary>The good claims set with some members replaced (by name) or added.</summary>
    private static string Claims(params string[] members)
    {
        var good = new List<string> { Iss, Aud, Sub, Exp, Nbf, Iat, Scope };
        foreach (var member in members)
        {
            var name = member[..(member.IndexOf(':', StringComparison.Ordinal) + 1)];
            var at = good.FindIndex(m => m.StartsWith(name, StringComparison.Ordinal));
            if (at >= 0)
            {
                good[at] = member;
            }
            else
            {
                good.Add(member);
            }
        }
        return Payload([.. good]);
    }

    private static string Payload(params string[] members) => "{" + string.Join(",", members) + "}";
}
