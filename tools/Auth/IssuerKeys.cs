using Microsoft.IdentityModel.Tokens;

namespace Functions.Tools.Auth;

/// <summary>
/// The keys serve verifies tokens with: the dev issuer's (the default), or a real issuer's JWKS from a file or a URL
/// (--jwks). A URL is read again when a token names a key it lacks (the issuer may have rotated), at most every 30 s.
/// </summary>
public sealed class IssuerKeys
{
    private static readonly TimeSpan RefreshAtMostEvery = TimeSpan.FromSeconds(30);

    private readonly Uri? _url;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys;
    private DateTimeOffset _fetched;

    private IssuerKeys(IReadOnlyList<SecurityKey> keys, string description, Uri? url)
    {
        _keys = keys;
        Description = description;
        _url = url;
        _fetched = DateTimeOffset.UtcNow;
    }

    /// <summary>Where the keys come from, for the banner: "the dev issuer (.fn/dev-issuer; fn token mints its tokens)".</summary>
    public string Description { get; }

    public IReadOnlyList<SecurityKey> Current => _keys;

    /// <summary>The dev issuer's key, whose tokens fn token mints.</summary>
    public bool IsDevIssuer { get; private init; }

    public static IssuerKeys Of(DevIssuer issuer, string shownFolder) =>
        new([issuer.PublicKey], $"the dev issuer's key ({shownFolder}; fn token mints its tokens)", url: null) { IsDevIssuer = true };

    /// <summary>A JWKS file, or an http(s) URL serving one.</summary>
    public static async Task<IssuerKeys> LoadAsync(string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return new IssuerKeys(Parse(await FetchAsync(url, cancellationToken).ConfigureAwait(false), source), $"the JWKS at {url}", url);
        }
        if (!File.Exists(source))
        {
            throw new UsageError($"--jwks {source} is neither a file nor an http(s) URL: give the issuer's JWKS file, or its jwks_uri.");
        }
        return new IssuerKeys(Parse(await File.ReadAllTextAsync(source, cancellationToken).ConfigureAwait(false), source), $"the JWKS in {source}", url: null);
    }

    /// <summary>Reads the URL again, unless it was read in the last 30 s; true when the keys changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        if (_url is null || DateTimeOffset.UtcNow - _fetched < RefreshAtMostEvery)
        {
            return false;
        }
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (DateTimeOffset.UtcNow - _fetched < RefreshAtMostEvery)
            {
                return false;
            }
            _fetched = DateTimeOffset.UtcNow;
            var before = _keys;
            _keys = Parse(await FetchAsync(_url, cancellationToken).ConfigureAwait(false), _url.ToString());
            return !before.Select(k => k.KeyId).SequenceEqual(_keys.Select(k => k.KeyId));
        }
        catch (IssuerKeysException)
        {
            return false; // The issuer is unreachable now: keep the keys it gave before.
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private static async Task<string> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new IssuerKeysException($"The JWKS at {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: check --jwks (an issuer publishes it at the jwks_uri of its /.well-known/openid-configuration).");
            }
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new IssuerKeysException($"Cannot read the JWKS at {url}: {e.Message}. Is the issuer running? Check --jwks.", e);
        }
    }

    /// <summary>The RSA signing keys of a JWKS (HTTP API takes RSA keys only); a JWKS with none is refused.</summary>
    private static List<SecurityKey> Parse(string json, string source)
    {
        JsonWebKeySet set;
        try
        {
            using (var document = System.Text.Json.JsonDocument.Parse(json))
            {
                if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object || !document.RootElement.TryGetProperty("keys", out var list)
                    || list.ValueKind != System.Text.Json.JsonValueKind.Array)
                {
                    throw new IssuerKeysException($"{source} is not a JWKS: it has no \"keys\" list ({{\"keys\":[{{\"kty\":\"RSA\",\"kid\":...,\"n\":...,\"e\":...}}]}}).");
                }
            }
            set = new JsonWebKeySet(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new IssuerKeysException($"{source} is not a JWKS: it is not JSON (line {(e.LineNumber ?? 0) + 1}).", e);
        }
        catch (ArgumentException e)
        {
            throw new IssuerKeysException($"{source} is not a JWKS: its keys are not JSON Web Keys (RFC 7517: kty, kid, n, e).", e);
        }
        var keys = set.Keys.Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.RSA && k.Use is null or "sig").Cast<SecurityKey>().ToList();
        if (keys.Count == 0)
        {
            throw new IssuerKeysException($"{source} holds no RSA signing key: HTTP API's JWT authorizer verifies RSA signatures only (RS256, RS384, RS512).");
        }
        return keys;
    }
}
