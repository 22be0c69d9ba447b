using System.Text.Json;
using Functions.Tools.Auth;
using Functions.Tools.Template;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Functions.Tools.ApiGateway;

/// <summary>What the authorizer passes the integration: requestContext.authorizer.jwt's claims and scopes.</summary>
/// <param name="Claims">Every claim of the token, each as text the way HTTP API renders it (see <see cref="JwtClaimText"/>).</param>
/// <param name="Scopes">The token's scopes; null when the route names none (HTTP API sends null then).</param>
public sealed record JwtContext(IReadOnlyList<KeyValuePair<string, string>> Claims, IReadOnlyList<string>? Scopes);

/// <summary>The authorizer's verdict: the context for the function, or a refusal (401 or 403) and why.</summary>
public sealed record AuthorizationOutcome(JwtContext? Context, int Status, string Reason)
{
    public static AuthorizationOutcome Allow(JwtContext context) => new(context, 200, "");

    /// <summary>No valid token: 401 {"message":"Unauthorized"}.</summary>
    public static AuthorizationOutcome Unauthorized(string reason) => new(null, 401, reason);

    /// <summary>A valid token without one of the route's scopes: 403 {"message":"Forbidden"}.</summary>
    public static AuthorizationOutcome Forbidden(string reason) => new(null, 403, reason);
}

/// <summary>
/// HTTP API's JWT authorizer (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html),
/// in its documented order: the token from the identity source (alone or after "Bearer "), decoded (strictly: a
/// malformed token is refused with its reason by <see cref="JwtDecoder"/> before the library sees it); its algorithm
/// (RSA only) and signature against the issuer's key its kid names; iss the authorizer's issuer; aud, or client_id
/// when there is no aud, one of its audiences; exp after now, nbf and iat before now (AWS documents no leeway, so
/// none); then at least one of the route's scopes in scope or scp. Any failure before the scopes is 401; a valid
/// token without a scope the route wants is 403.
/// </summary>
public sealed class JwtAuthorizer(IssuerKeys keys, TimeProvider? time = null)
{
    private static readonly string[] RsaAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Where the keys come from, for the banner.</summary>
    public string KeysDescription => keys.Description;

    /// <summary>Whether ./fn token's tokens pass: the keys are the dev issuer's, not a real issuer's (--jwks).</summary>
    public bool UsesDevIssuer => keys.IsDevIssuer;

    public async Task<AuthorizationOutcome> AuthorizeAsync(GatewayRequest request, RouteAuthorization route)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        var authorizer = route.Authorizer;
        if (authorizer.HeaderName is not { } header)
        {
            return AuthorizationOutcome.Unauthorized($"the identity source {authorizer.IdentitySource} is not a header, which is all serve reads");
        }
        var token = TokenIn(request.Header(header));
        if (token is null)
        {
            return AuthorizationOutcome.Unauthorized($"the request has no {header} header");
        }
        using var claimsSet = Decode(token, out var malformed);
        if (claimsSet is null)
        {
            return AuthorizationOutcome.Unauthorized(malformed);
        }
        var validation = await ValidateAsync(token, authorizer).ConfigureAwait(false);
        if (validation.Exception is SecurityTokenSignatureKeyNotFoundException && await keys.RefreshAsync(CancellationToken.None).ConfigureAwait(false))
        {
            validation = await ValidateAsync(token, authorizer).ConfigureAwait(false);
        }
        if (!validation.IsValid)
        {
            return AuthorizationOutcome.Unauthorized(Why(validation.Exception, authorizer));
        }
        // The claims as decoded above: the bytes the signature covers, read once, each claim read of its JSON type.
        var claims = claimsSet.RootElement;
        if (AudienceProblem(claims, authorizer.Audience) is { } audience)
        {
            return AuthorizationOutcome.Unauthorized(audience);
        }
        if (LifetimeProblem(claims, _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0) is { } lifetime)
        {
            return AuthorizationOutcome.Unauthorized(lifetime);
        }
        var scopes = ScopesOf(claims);
        if (route.Scopes.Count > 0 && !route.Scopes.Any(scopes.Contains))
        {
            return AuthorizationOutcome.Forbidden($"the token has none of the route's scopes ({string.Join(", ", route.Scopes)})"
                + (scopes.Count == 0 ? ", and no scope at all" : $"; it has {string.Join(", ", scopes.Select(JwtDecoder.Quoted))}"));
        }
        var rendered = claims.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, JwtClaimText.Of(p.Value))).ToList();
        return AuthorizationOutcome.Allow(new JwtContext(rendered, route.Scopes.Count > 0 ? scopes : null));
    }

    /// <summary>The token's claims, decoded and checked by <see cref="JwtDecoder"/>; or null and what is wrong with the token.</summary>
    private static JsonDocument? Decode(string token, out string problem)
    {
        try
        {
            problem = "";
            return JwtDecoder.Decode(token);
        }
        catch (InvalidTokenException e)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>The identity source's value is the token, alone or after "Bearer ".</summary>
    private static string? TokenIn(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        return text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? text[7..].Trim() : text;
    }

    /// <summary>
    /// The library checks the algorithm, the kid, the signature and iss. It reports failures in its result; the catch
    /// is for any it throws instead, on a token the decoding above let through: a bad token is a 401 whatever the
    /// library does with it, never a failure of serve's.
    /// </summary>
    private async Task<TokenValidationResult> ValidateAsync(string token, TemplateAuthorizer authorizer)
    {
        try
        {
            return await _handler.ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuer = authorizer.Issuer,
                ValidateAudience = false, // aud, or client_id without aud: checked below, as HTTP API does.
                ValidateLifetime = false, // exp, nbf and iat: checked below against the authorizer's clock, with no leeway.
                IssuerSigningKeys = keys.Current,
                TryAllIssuerSigningKeys = false, // The kid must name the key.
                RequireSignedTokens = true,
                ValidAlgorithms = RsaAlgorithms,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or OverflowException
                                      or System.Text.Json.JsonException or SecurityTokenException or System.Security.Cryptography.CryptographicException)
        {
            return new TokenValidationResult { IsValid = false, Exception = e };
        }
    }

    /// <summary>The refusal in words for serve's log and the www-authenticate header (never the library's internals).</summary>
    private static string Why(Exception? exception, TemplateAuthorizer authorizer) => exception switch
    {
        SecurityTokenInvalidIssuerException => $"the token's issuer is not {authorizer.Issuer}",
        SecurityTokenInvalidAlgorithmException => "the token is not signed with an RSA algorithm (RS256, RS384, RS512, PS256, PS384, PS512)",
        SecurityTokenSignatureKeyNotFoundException => "the token's kid names none of the issuer's keys",
        SecurityTokenInvalidSignatureException => "the token's signature does not verify with the issuer's key",
        SecurityTokenMalformedException or ArgumentException => "the token is not a JWT",
        _ => "the token is not valid",
    };

    /// <summary>
    /// exp after now (and present), nbf and iat not after now; NumericDates compared as numbers (seconds since the
    /// epoch, fractions included: RFC 7519 §2), their JSON types and range checked by <see cref="JwtDecoder"/>.
    /// </summary>
    private static string? LifetimeProblem(JsonElement claims, double now)
    {
        if (!claims.TryGetProperty("exp", out var exp))
        {
            return "the token has no exp";
        }
        var expires = exp.GetDouble();
        if (expires <= now)
        {
            return $"the token has expired (exp {JwtDecoder.Time(expires)}, now {JwtDecoder.Time(now)})";
        }
        if (claims.TryGetProperty("nbf", out var nbf) && nbf.GetDouble() is var notBefore && notBefore > now)
        {
            return $"the token is not valid yet (nbf {JwtDecoder.Time(notBefore)}, now {JwtDecoder.Time(now)})";
        }
        if (claims.TryGetProperty("iat", out var iat) && iat.GetDouble() is var issuedAt && issuedAt > now)
        {
            return $"the token was issued in the future (iat {JwtDecoder.Time(issuedAt)}, now {JwtDecoder.Time(now)})";
        }
        return null;
    }

    /// <summary>aud must name one of the audiences; without aud, client_id must (HTTP API evaluates aud when both are present).</summary>
    private static string? AudienceProblem(JsonElement claims, IReadOnlyList<string> audiences)
    {
        if (claims.TryGetProperty("aud", out var aud))
        {
            var named = aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().Select(a => a.GetString()!).ToList() : [aud.GetString()!];
            return named.Any(audiences.Contains) ? null : "the token does not have a valid audience";
        }
        if (claims.TryGetProperty("client_id", out var clientId))
        {
            return audiences.Contains(clientId.GetString()!) ? null : "the token does not have a valid client_id";
        }
        return "the token has neither aud nor client_id";
    }

    /// <summary>scope, or scp: space-separated or a list (strings: checked by <see cref="JwtDecoder"/>).</summary>
    private static List<string> ScopesOf(JsonElement claims)
    {
        foreach (var name in new[] { "scope", "scp" })
        {
            if (claims.TryGetProperty(name, out var value))
            {
                return value.ValueKind == JsonValueKind.Array
                    ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
                    : value.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            }
        }
        return [];
    }
}
