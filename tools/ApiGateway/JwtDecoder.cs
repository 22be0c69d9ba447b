using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.IdentityModel.Tokens;

namespace Functions.Tools.ApiGateway;

/// <summary>A token the authorizer refuses (401) before it is verified, with the reason in our words.</summary>
internal sealed class InvalidTokenException(string reason) : Exception(reason);

/// <summary>
/// Step 2 of HTTP API's authorizer, "decode the token", done strictly and before any library sees the token: the
/// token is attacker-controlled text, and whatever a JSON parser, a base64 decoder or the JWT library would throw on
/// is refused here with a reason instead. What it checks: three base64url parts (RFC 7515 §7.1), a header and a
/// payload that are each exactly one JSON object in UTF-8 (RFC 7515 §4, RFC 7519 §7.2) with no member named twice
/// (RFC 7519 §4 lets a parser refuse duplicates; refusing them means the library and this code cannot read two
/// different values of one claim), no nesting a walk could overflow on, no string without a UTF-8 form; a crit
/// header (RFC 7515 §4.1.11); and the JSON type of every registered claim the authorizer reads (RFC 7519 §4.1).
/// </summary>
internal static class JwtDecoder
{
    /// <summary>The JWT library's own bound (256,000 characters): a longer token is refused before it is split or decoded.</summary>
    public const int MaxTokenLength = TokenValidationParameters.DefaultMaximumTokenSizeInBytes;

    /// <summary>
    /// How deep the header or a claim may nest. Real claims nest two or three levels (an address, a list of groups);
    /// claims are rendered for the function recursively (<see cref="JwtClaimText"/>), so the bound is kept well under
    /// System.Text.Json's default of 64, whose overflow would otherwise be the error.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The header parameters JWS and JWA define (RFC 7515 §4.1, RFC 7518 §4.1, and JWE's in RFC 7516 §4.1): crit must
    /// not list them (RFC 7515 §4.1.11), as they are understood by definition.
    /// </summary>
    private static readonly HashSet<string> StandardHeaderParameters = new(StringComparer.Ordinal)
    {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    };

    /// <summary>The token's claims set, once all of it passes; else <see cref="InvalidTokenException"/> saying what is wrong.</summary>
    public static JsonDocument Decode(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > MaxTokenLength)
        {
            throw Refuse($"the token is {token.Length} characters long, more than the {MaxTokenLength} serve reads");
        }
        var parts = token.Split('.');
        if (parts.Length == 5)
        {
            throw Refuse("the token is encrypted (a JWE, five parts): HTTP API takes signed JWTs (three parts)");
        }
        if (parts.Length != 3)
        {
            throw Refuse($"the token is not a JWT: it has {parts.Length} part{(parts.Length == 1 ? "" : "s")} separated by dots, not three");
        }
        if (parts[2].Length == 0)
        {
            throw Refuse("the token has no signature (an unsecured JWT): HTTP API takes RSA-signed tokens only");
        }
        CheckBase64Url(parts[2], "signature");
        using (var header = ObjectOf(parts[0], "header"))
        {
            CheckHeader(header.RootElement);
        }
        var claims = ObjectOf(parts[1], "payload");
        try
        {
            CheckClaims(claims.RootElement);
            return claims;
        }
        catch
        {
            claims.Dispose();
            throw;
        }
    }

    /// <summary>What a JSON value is, for a reason: "a string", "an object", "a list", "null", "true".</summary>
    private static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static InvalidTokenException Refuse(string reason) => new(reason);

    /// <summary>One base64url part decoded and read as a JSON object, or refused for the first thing wrong with it.</summary>
    private static JsonDocument ObjectOf(string part, string name)
    {
        if (part.Length == 0)
        {
            throw Refuse($"the token's {name} is empty");
        }
        CheckBase64Url(part, name);
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            throw Refuse($"the token's {name} is not base64url");
        }
        // JSON text is UTF-8 (RFC 8259 §8.1); the parser leaves string contents unchecked until they are read.
        if (!Utf8.IsValid(bytes))
        {
            throw Refuse($"the token's {name} is not UTF-8");
        }
        var end = CheckJsonObject(bytes, name);
        if (bytes.AsSpan(end).IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            throw Refuse($"the token's {name} has bytes after its JSON object");
        }
        return JsonDocument.Parse(bytes);
    }

    /// <summary>
    /// RFC 7515 §2: base64url is A-Z, a-z, 0-9, '-' and '_', without padding; checked here because decoders also
    /// take padding, whitespace or the '+' and '/' of plain base64, and the signature covers the text as sent.
    /// </summary>
    private static void CheckBase64Url(string part, string name)
    {
        if (part.AsSpan().IndexOfAnyExcept(Base64UrlAlphabet) is var at and >= 0)
        {
            throw Refuse($"the token's {name} is not base64url: it holds {Shown(part[at])} (base64url is A-Z, a-z, 0-9, - and _, without padding)");
        }
        if (part.Length % 4 == 1)
        {
            throw Refuse($"the token's {name} is not base64url: {part.Length} characters cannot be a whole number of bytes");
        }
    }

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static string Shown(char c) => c is > ' ' and < '\x7f' ? $"'{c}'" : $"U+{(int)c:X4}";

    /// <summary>
    /// Text from a token in a reason, which goes to serve's log and to the www-authenticate header: printable ASCII as
    /// it is, anything else as \uXXXX, cut after 64 characters, so that no token can break the log line or the header.
    /// </summary>
    public static string Quoted(string text)
    {
        var shown = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            if (shown.Length >= 64)
            {
                return shown.Append("...").ToString();
            }
            if (c is >= ' ' and < '\x7f')
            {
                shown.Append(c);
            }
            else
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }
        return shown.ToString();
    }

    /// <summary>
    /// Walks the JSON once, as a reader rather than a document, so every failure has its own reason: not JSON, not an
    /// object, nested too deep, a member named twice, a string with no UTF-8 form. Returns where the object ends.
    /// </summary>
    private static int CheckJsonObject(byte[] bytes, string name)
    {
        // The reader's own bound is above ours, so ours is the one met.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth * 2 });
        var members = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!reader.Read())
            {
                throw Refuse($"the token's {name} is not JSON");
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Refuse($"the token's {name} is not a JSON object but {KindOf(reader.TokenType)}");
            }
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaxDepth:
                        throw Refuse($"the token's {name} nests deeper than {MaxDepth} levels");
                    case JsonTokenType.PropertyName:
                        var member = reader.GetString()!;
                        if (reader.CurrentDepth == 1 && !members.Add(member))
                        {
                            throw Refuse($"the token's {name} names {Quoted(member)} more than once");
                        }
                        break;
                    case JsonTokenType.String:
                        _ = reader.GetString();
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 0:
                        return (int)reader.BytesConsumed;
                }
            }
        }
        catch (JsonException e)
        {
            // The position in our words: the parser's own message names its internals.
            throw Refuse($"the token's {name} is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            // Valid JSON may escape half of a surrogate pair ("\ud800"); such a string has no UTF-8 form, and reading it throws.
            throw Refuse($"the token's {name} holds a string with an unpaired surrogate escape (a lone \\uD800-\\uDFFF), which is no Unicode text");
        }
        throw Refuse($"the token's {name} is not JSON: it ends before its object does");
    }

    private static string KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => "null",
    };

    /// <summary>
    /// alg present; the header parameters JWS and JWE define (RFC 7515 §4.1, RFC 7516 §4.1), which the JWT library
    /// reads, of their JSON types; and crit, which RFC 7515 §4.1.11 says a recipient must refuse when it lists an
    /// extension it does not understand: serve understands none, so any well-formed crit is refused too, by name.
    /// </summary>
    private static void CheckHeader(JsonElement header)
    {
        if (!header.TryGetProperty("alg", out _))
        {
            throw Refuse("the token's header has no alg");
        }
        foreach (var name in new[] { "alg", "kid", "typ", "cty", "jku", "x5u", "x5t", "x5t#S256", "enc", "zip" })
        {
            if (header.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                throw Refuse($"the token's {name} is not a string but {KindOf(value)}");
            }
        }
        if (header.TryGetProperty("x5c", out var chain) && !(chain.ValueKind == JsonValueKind.Array && chain.EnumerateArray().All(c => c.ValueKind == JsonValueKind.String)))
        {
            throw Refuse($"the token's x5c is not a list of strings but {KindOf(chain)}{(chain.ValueKind == JsonValueKind.Array ? " holding something else" : "")}");
        }
        if (header.TryGetProperty("jwk", out var key) && key.ValueKind != JsonValueKind.Object)
        {
            throw Refuse($"the token's jwk is not an object but {KindOf(key)}");
        }
        if (!header.TryGetProperty("crit", out var crit))
        {
            return;
        }
        if (crit.ValueKind != JsonValueKind.Array || crit.GetArrayLength() == 0 || crit.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
        {
            throw Refuse("the token's crit is not a non-empty list of header parameter names (RFC 7515 section 4.1.11)");
        }
        var listed = crit.EnumerateArray().Select(c => c.GetString()!).ToList();
        if (listed.FirstOrDefault(StandardHeaderParameters.Contains) is { } standard)
        {
            throw Refuse($"the token's crit lists {standard}, a parameter of JWS itself, which crit must not list (RFC 7515 section 4.1.11)");
        }
        if (listed.FirstOrDefault(name => !header.TryGetProperty(name, out _)) is { } absent)
        {
            throw Refuse($"the token's crit lists {Quoted(absent)}, which its header does not have (RFC 7515 section 4.1.11)");
        }
        throw Refuse($"the token's crit marks {string.Join(", ", listed.Select(Quoted))} critical, an extension serve does not understand, so the token must be refused (RFC 7515 section 4.1.11)");
    }

    /// <summary>
    /// The claims the authorizer or the JWT library reads, each of the JSON type its specification gives: iss, sub
    /// and jti strings (RFC 7519 §4.1), azp a string (OpenID Connect Core §2), aud a string or a list of strings,
    /// exp, nbf and iat NumericDates (RFC 7519 §2); client_id a string, scope and scp a string or a list of strings
    /// (the forms issuers use). A claim of another type is refused by name rather than read as something it is not.
    /// </summary>
    private static void CheckClaims(JsonElement claims)
    {
        foreach (var name in new[] { "iss", "sub", "jti", "azp", "client_id" })
        {
            if (claims.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                throw Refuse($"the token's {name} is not a string but {KindOf(value)}");
            }
        }
        foreach (var name in new[] { "aud", "scope", "scp" })
        {
            if (claims.TryGetProperty(name, out var value) && !IsStringOrListOfStrings(value))
            {
                throw Refuse($"the token's {name} is not a string or a list of strings but {KindOf(value)}"
                    + (value.ValueKind == JsonValueKind.Array ? " holding something else" : ""));
            }
        }
        foreach (var name in new[] { "exp", "nbf", "iat" })
        {
            if (claims.TryGetProperty(name, out var value))
            {
                _ = NumericDate(value, name);
            }
        }
    }

    private static bool IsStringOrListOfStrings(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String));

    /// <summary>
    /// A NumericDate (RFC 7519 §2): a JSON number of seconds since 1970-01-01T00:00:00Z, maybe with a fraction, as a
    /// double. RFC 7519 sets no range; this one is DateTimeOffset's (years 1 to 9999), which holds every time a token
    /// can mean and keeps the JWT library, which reads these claims too, from meeting one it cannot read (1e300).
    /// </summary>
    private static double NumericDate(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Refuse($"the token's {name} is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but {KindOf(value)}");
        }
        // TryGetDouble is false for a number beyond double's range (1e400).
        return value.TryGetDouble(out var seconds) && seconds is >= FirstSecond and <= LastSecond
            ? seconds
            : throw Refuse($"the token's {name} ({Shortened(value.GetRawText())}) is not a time between the years 1 and 9999");
    }

    // DateTimeOffset's range in seconds since 1970, a second inside each end so that rounding cannot step out of it.
    private const double FirstSecond = -62135596800 + 1;
    private const double LastSecond = 253402300799 - 1;

    private static string Shortened(string text) => text.Length <= 32 ? text : string.Concat(text.AsSpan(0, 29), "...");

    /// <summary>
    /// A NumericDate (in range, see <see cref="NumericDate"/>) for a reason: "2026-12-02T12:00:00.5Z". Rounded to the
    /// microsecond, about what a double holds of a time near now, so that 1796212800.001 shows as .001.
    /// </summary>
    public static string Time(double seconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * 1_000_000) * (TimeSpan.TicksPerMillisecond / 1000))
            .ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFZ", CultureInfo.InvariantCulture);
}
