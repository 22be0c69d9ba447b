using System.Text.Json;
using Functions.Tools.Commands;

namespace Functions.Tests.Cli;

/// <summary>./fn token as a user runs it: the token alone on stdout, bad arguments refused in one line (exit 2).</summary>
public sealed class TokenCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_token_is_for_the_template_s_issuer_and_audience_with_the_asked_claims()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (exitCode, stdout, stderr) = await FnCli.RunAsync(Timeout, null, "token", "--sub", "alice", "--scope", "items:write", "--scope", "items:read", "--expires", "30m");

        Assert.True(exitCode == 0, stderr);
        var parts = stdout.Trim().Split('.');
        Assert.Equal(3, parts.Length);
        var header = Decode(parts[0]);
        var claims = Decode(parts[1]);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
        Assert.Equal("https://issuer.fn.invalid/", claims.GetProperty("iss").GetString()); // cdk.json's jwtIssuer
        Assert.Equal("items-api", claims.GetProperty("aud").GetString());
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal("items:write items:read", claims.GetProperty("scope").GetString());
        var lifetime = claims.GetProperty("exp").GetInt64() - claims.GetProperty("nbf").GetInt64();
        Assert.Equal(30 * 60, lifetime);
        Assert.InRange(claims.GetProperty("iat").GetInt64(), before, before + 120);
        Assert.Contains("fn serve takes it, the deployed API does not", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--expires", "soon", "--expires takes a duration such as 90s")]
    [InlineData("--expires", "0h", "--expires takes a duration such as 90s")]
    [InlineData("--expires", "31d", "at most 30d")]
    [InlineData("--scope", "two words", "--scope takes one scope")]
    [InlineData("--sub", "", "--sub cannot be empty.")]
    public async Task A_bad_argument_is_refused_in_one_line_with_exit_2(string option, string value, string message)
    {
        var (exitCode, stdout, stderr) = await FnCli.RunAsync(Timeout, null, "token", option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", stdout, StringComparison.Ordinal); // No token
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    public void Lifetimes_read_as_a_number_and_a_unit(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), TokenCommand.ParseLifetime(text));
    }

    private static JsonElement Decode(string part) =>
        JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(part)).RootElement.Clone();
}
