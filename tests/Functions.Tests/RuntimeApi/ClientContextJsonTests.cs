using System.Text;
using System.Text.Json;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.RuntimeApi;

/// <summary>A client context as Lambda takes it (a JSON object, 3,583 bytes of base64 at most) and as /next passes it on (ASCII only).</summary>
public sealed class ClientContextJsonTests
{
    [Theory]
    [InlineData("{\"custom\":{\"k\":\"café 😀 \\u202e\"}}")]
    [InlineData("{ \"a\" :\r\n [1, \"\\u0000\"] }")]
    public void What_is_passed_on_is_ASCII_and_the_same_JSON_value(string json)
    {
        var passed = ClientContextJson.FromJson(json);

        Assert.All(passed, c => Assert.InRange(c, ' ', '~'));
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(json).RootElement, JsonDocument.Parse(passed).RootElement), passed);
        Assert.Equal(passed, ClientContextJson.FromBase64(Convert.ToBase64String(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void Lambdas_limit_is_3583_bytes_of_base64_as_JSON_and_as_base64()
    {
        var largest = "{\"k\":\"" + new string('x', 2685 - 8) + "\"}"; // 2,685 bytes: 3,580 of base64.
        var larger = "{\"k\":\"" + new string('x', 2686 - 8) + "\"}"; // 3,584 of base64.

        Assert.Equal(largest.Length, ClientContextJson.FromJson(largest).Length);
        Assert.Contains("at most 3583 bytes", Assert.Throws<InvalidClientContextException>(() => ClientContextJson.FromJson(larger)).Message, StringComparison.Ordinal);
        Assert.Contains("at most 3583 bytes", Assert.Throws<InvalidClientContextException>(
            () => ClientContextJson.FromBase64(Convert.ToBase64String(Encoding.UTF8.GetBytes(larger)))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]", "not an object")]
    [InlineData("{\"a\":1} x", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public void What_Lambda_would_refuse_is_refused_with_why(string json, string why)
    {
        Assert.Contains(why, Assert.Throws<InvalidClientContextException>(() => ClientContextJson.FromJson(json)).Message, StringComparison.Ordinal);
    }
}
