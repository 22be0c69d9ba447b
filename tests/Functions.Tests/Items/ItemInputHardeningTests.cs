using Functions.Errors;
using Functions.Items;

namespace Functions.Tests.Items;

/// <summary>
/// Input that is stored exactly as sent or refused with a 400 that says why in our words: lone
/// surrogates, numbers a decimal would round, characters a reader cannot see, parser internals in messages.
/// </summary>
public sealed class ItemInputHardeningTests
{
    [Theory]
    [InlineData("""{"name":"\ud800","price":1}""")]
    [InlineData("""{"name":"\udc00","price":1}""")]
    [InlineData("""{"name":"\udc00\ud800","price":1}""")]
    [InlineData("""{"name":"a\ud800b","price":1}""")]
    [InlineData("""{"name":"cup","description":"\ud800","price":1}""")]
    [InlineData("""{"name":"cup","price":1,"tags":["\udfff"]}""")]
    [InlineData("""{"\ud800":"x","name":"cup","price":1}""")]
    [InlineData("""{"name":"cup","price":1,"extra":{"deep":["\ud83d"]}}""")]
    public void A_lone_surrogate_anywhere_is_a_400_not_a_crash(string body)
    {
        var error = Refused(body);

        Assert.Contains("unpaired surrogate", Assert.Single(error.Errors!["body"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_is_text()
    {
        var input = Read("""{"name":"cup \ud83d\ude00","price":1}""");

        Assert.Equal("cup 😀", input.Name);
    }

    [Theory]
    [InlineData("1.00000000000000000000000000001", "must have at most 2 decimals")]
    [InlineData("1e-400", "must have at most 2 decimals")]
    [InlineData("0.001", "must have at most 2 decimals")]
    [InlineData("123456789012345678901234567890", "is out of range")]
    [InlineData("1e29", "is out of range")]
    [InlineData("1e99999999999", "is out of range")]
    public void A_price_that_cannot_be_stored_as_sent_is_refused(string price, string expected)
    {
        var error = Refused($$"""{"name":"cup","price":{{price}}}""");

        Assert.Equal(expected, Assert.Single(error.Errors!["price"]));
    }

    [Theory]
    [InlineData("a\\u0000b", "U+0000 (a control character)")]
    [InlineData("a\\u001bb", "U+001B (a control character)")]
    [InlineData("abc\\u202Efed", "U+202E (a bidirectional control)")]
    [InlineData("\\u2066x", "U+2066 (a bidirectional control)")]
    [InlineData("line\\nbreak", "U+000A (a control character)")]
    public void A_name_with_a_character_nobody_can_see_is_refused(string name, string named)
    {
        var error = Refused($$"""{"name":"{{name}}","price":1}""");

        Assert.Equal($"must not contain {named}", Assert.Single(error.Errors!["name"]));
    }

    [Fact]
    public void A_description_may_span_lines_but_not_hide_text()
    {
        var input = Read("""{"name":"cup","description":"one\ntwo\tthree","price":1}""");
        var error = Refused("""{"name":"cup","description":"a\u202eb","price":1}""");

        Assert.Equal("one\ntwo\tthree", input.Description);
        Assert.Contains("bidirectional control", Assert.Single(error.Errors!["description"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_with_a_control_character_is_refused()
    {
        var error = Refused("""{"name":"cup","price":1,"tags":["ok","a\u0007"]}""");

        Assert.Contains("U+0007", Assert.Single(error.Errors!["tags"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_JSON_is_described_by_position_not_by_the_parsers_words()
    {
        var error = Refused("""{"name":"cup","price":1,}""");

        var message = Assert.Single(error.Errors!["body"]);
        Assert.Equal("is not valid JSON (line 1, byte 25)", message);
        Assert.DoesNotContain("BytePositionInLine", error.Message, StringComparison.Ordinal);
    }

    private static ItemInput Read(string json) => ItemBodies.Read(json);

    private static ApiError Refused(string json) => ItemBodies.Refused(json);
}
