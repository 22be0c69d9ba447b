using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Functions.Tests.Auth;
using Functions.Tests.Cli;
using Functions.Tests.DynamoDb;
using Functions.Tests.Functions;
using Functions.Tools.Auth;
using Functions.Tools.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Functions.Tests.Serve;

/// <summary>
/// The JWT authorizer end to end: ./fn serve over the real Native AOT Items functions, tokens minted by
/// ./fn token (the dev issuer) or by another issuer's key served as a JWKS file or on a loopback URL.
/// </summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class ServeAuthorizationTests(ServedItemsFixture served) : IClassFixture<ServedItemsFixture>
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_write_with_a_token_from_fn_token_succeeds_and_the_item_records_its_callers()
    {
        // Arrange
        var alice = await TokenAsync("--sub", "alice", "--scope", "items:write");
        var bob = await TokenAsync("--sub", "bob", "--scope", "items:write", "--expires", "5m");
        using var client = BareClient();

        // Act
        using var created = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Signed cup","price":3}""", alice);
        var id = (await JsonAsync(created)).GetProperty("id").GetString();
        using var updated = await SendAsync(client, HttpMethod.Put, $"/items/{id}", """{"name":"Signed mug","price":4}""", bob);

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await JsonAsync(updated);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("alice", item.GetProperty("createdBy").GetString());
        Assert.Equal("bob", item.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task A_write_without_a_token_is_401_as_HTTP_API_answers_and_serve_says_why()
    {
        using var client = BareClient();

        using var response = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Anonymous","price":1}""", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("apigw-requestid"));
        Assert.True(await served.Serve.WaitForOutputAsync("POST /items 401: the request has no Authorization header.", TimeSpan.FromSeconds(10)), served.Serve.Output);
    }

    [Fact]
    public async Task A_token_without_the_write_scope_is_403()
    {
        var reader = await TokenAsync("--sub", "reader");
        using var client = BareClient();

        using var response = await SendAsync(client, HttpMethod.Delete, "/items/dGhpcyBpcyBhIHRlc3QhIQ", null, reader);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("""{"message":"Forbidden"}""", await response.Content.ReadAsStringAsync());
        Assert.True(await served.Serve.WaitForOutputAsync("Mint one with: ./fn token --scope items:write", TimeSpan.FromSeconds(10)), served.Serve.Output);
    }

    [Fact]
    public async Task An_expired_token_and_a_token_for_another_audience_are_401()
    {
        var expired = await DevTokens.MintAsync(lifetime: TimeSpan.FromSeconds(1));
        var stranger = await TokenAsync("--scope", "items:write", "--audience", "another-api");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var client = BareClient();

        using var late = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Late","price":1}""", expired);
        using var misdirected = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Elsewhere","price":1}""", stranger);

        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Contains("the token has expired", late.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, misdirected.StatusCode);
        Assert.Contains("the token does not have a valid audience", misdirected.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_token_whose_exp_is_a_string_is_401_with_the_reason_and_a_log_line()
    {
        // Arrange: signed by the dev issuer serve trusts, every claim right but exp's JSON type
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var token = await DevTokens.SignClaimsAsync($$"""
            "iss":"{iss}","aud":"{aud}","sub":"mallory","scope":"items:write","exp":"{{exp}}"
            """);
        using var client = BareClient();

        // Act
        using var response = await SendAsync(client, HttpMethod.Post, "/items?from=test", """{"name":"Stringly timed","price":1}""", token);

        // Assert
        const string Reason = "the token's exp is not a number of seconds since 1970 (a NumericDate, RFC 7519 section 2) but a string";
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"message":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
        Assert.Contains($"error_description=\"{Reason}\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.True(await served.Serve.WaitForOutputAsync($"POST /items 401: {Reason}.", TimeSpan.FromSeconds(10)), served.Serve.Output);
        Assert.True(await served.Serve.WaitForOutputAsync("POST /items?from=test 401 ", TimeSpan.FromSeconds(10)), served.Serve.Output);
    }

    [Fact]
    public async Task A_token_whose_sub_holds_a_bidirectional_control_writes_nothing_and_gets_a_problem_403()
    {
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var token = await DevTokens.SignClaimsAsync($$"""
            "iss":"{iss}","aud":"{aud}","sub":"eve‮ecila","scope":"items:write","exp":{{exp}}
            """);
        using var client = BareClient();

        using var response = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Mirrored","price":1}""", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Contains("U+202E (a bidirectional control)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("instance").GetString()));
    }

    [Fact]
    public async Task Reads_need_no_token()
    {
        using var client = BareClient();

        using var response = await client.GetAsync("/items?limit=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_a_JWKS_file_serve_takes_that_issuer_s_tokens_and_no_longer_the_dev_issuer_s()
    {
        // Arrange: another issuer's key, its public half in a JWKS file
        using var folder = new ScratchFolder();
        var other = DevIssuer.Open(new Repository(folder.Path));
        await using var serve = await FnProcess.StartAsync("--in-memory", "--jwks", other.JwksFile);
        using var client = BareClient(serve);

        // Act
        using var theirs = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Theirs","price":1}""", await DevTokens.MintAsync("carol", signer: other));
        using var ours = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Ours","price":1}""", await DevTokens.MintAsync());

        // Assert
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ours.StatusCode);
        Assert.Contains($"tokens checked with the JWKS in {other.JwksFile}", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_JWKS_URL_on_loopback_serve_reads_the_issuer_s_keys_from_it()
    {
        // Arrange: the other issuer's JWKS served over HTTP, as an issuer's jwks_uri is
        using var folder = new ScratchFolder();
        var other = DevIssuer.Open(new Repository(folder.Path));
        var jwks = await File.ReadAllTextAsync(other.JwksFile);
        await using var issuer = LoopbackWebApp.Create(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        issuer.MapGet("/.well-known/jwks.json", () => Results.Text(jwks, "application/json"));
        await issuer.StartAsync();
        var url = new Uri(issuer.ListeningAddress(), "/.well-known/jwks.json").ToString();
        await using var serve = await FnProcess.StartAsync("--in-memory", "--jwks", url);
        using var client = BareClient(serve);

        // Act
        using var response = await SendAsync(client, HttpMethod.Post, "/items", """{"name":"Fetched","price":1}""", await DevTokens.MintAsync("carol", signer: other));

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains($"tokens checked with the JWKS at {url}", serve.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no/such/jwks.json", 2, "is neither a file nor an http(s) URL")]
    [InlineData("cdk.json", 1, "is not a JWKS")]
    [InlineData("http://127.0.0.1:9/jwks.json", 1, "Cannot read the JWKS at http://127.0.0.1:9/jwks.json")]
    public async Task A_JWKS_serve_cannot_use_is_refused_in_one_line(string jwks, int exitCode, string message)
    {
        var (code, _, stderr) = await FnCli.RunAsync(CliTimeout, null, "serve", "--port", "0", "--in-memory", "--jwks", jwks);

        Assert.Equal(exitCode, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static async Task<string> TokenAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await FnCli.RunAsync(CliTimeout, null, ["token", .. arguments]);
        Assert.True(exitCode == 0, stderr);
        return stdout.Trim();
    }

    /// <summary>A client without the token the fixture's client carries.</summary>
    private HttpClient BareClient(FnProcess? serve = null) => new() { BaseAddress = (serve ?? served.Serve).Address, Timeout = TimeSpan.FromSeconds(60) };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? json, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
