using System.Text;
using System.Text.Json;
using Functions.Http;
using Functions.Json;

namespace Functions.Tests.Json;

/// <summary>What a function writes escapes only what JSON requires (\u0022 and \u0027 were everywhere).</summary>
public sealed class WireJsonTests
{
    [Fact]
    public void A_string_body_keeps_quotes_apostrophes_and_letters_readable()
    {
        // Arrange
        var response = Results.Ok(new MessageBody("it's \"quoted\" <b> & déjà"), FunctionsJson.Wire.MessageBody);

        // Act
        var written = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(response, FunctionsJson.Wire.HttpApiResponse));

        // Assert
        Assert.Contains("""it's \\\"quoted\\\" <b> & déjà""", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", written, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_detail_keeps_its_apostrophe()
    {
        // Arrange
        var response = Results.Problem(404, "There is no item with the id 'abc'.", "req-1");

        // Act
        var body = response.Body!;

        // Assert
        Assert.Contains("'abc'", body, StringComparison.Ordinal);
        Assert.Equal("There is no item with the id 'abc'.", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public void Control_characters_are_still_escaped()
    {
        var written = JsonSerializer.Serialize(new MessageBody("a\u0001b\nc"), FunctionsJson.Wire.MessageBody);

        Assert.Contains("a\\u0001b\\nc", written, StringComparison.Ordinal);
    }
}
