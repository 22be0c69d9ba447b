using System.Text;
using Functions.Errors;
using Functions.Items;

namespace Functions.Tests.Items;

public sealed class ItemInputReaderTests
{
    [Fact]
    public void A_full_item_is_read_field_by_field()
    {
        // Arrange
        var body = """{"name":"Espresso cup","description":"90 ml","price":12.5,"tags":["kitchen","ceramic"]}""";

        // Act
        var input = Read(body);

        // Assert
        Assert.Equal("Espresso cup", input.Name);
        Assert.Equal("90 ml", input.Description);
        Assert.Equal(12.5m, input.Price);
        Assert.Equal(["kitchen", "ceramic"], input.Tags);
    }

    [Fact]
    public void Description_and_tags_are_optional()
    {
        var input = Read("""{"name":"cup","price":0}""");

        Assert.Null(input.Description);
        Assert.Empty(input.Tags);
    }

    [Fact]
    public void Null_description_and_tags_count_as_absent()
    {
        var input = Read("""{"name":"cup","price":1,"description":null,"tags":null}""");

        Assert.Null(input.Description);
        Assert.Empty(input.Tags);
    }

    [Theory]
    [InlineData("""{"price":1}""", "is required")]
    [InlineData("""{"name":null,"price":1}""", "is required")]
    [InlineData("""{"name":"","price":1}""", "must not be blank")]
    [InlineData("""{"name":"   ","price":1}""", "must not be blank")]
    [InlineData("""{"name":42,"price":1}""", "must be a string")]
    [InlineData("""{"name":["cup"],"price":1}""", "must be a string")]
    public void Create_refuses_a_missing_blank_or_non_string_name(string body, string message)
    {
        var error = Refused(body);

        Assert.Equal([message], error.Errors!["name"]);
    }

    [Fact]
    public void A_name_of_200_characters_is_accepted_and_201_is_refused()
    {
        var longest = Read(Body(name: new string('n', 200)));
        var error = Refused(Body(name: new string('n', 201)));

        Assert.Equal(200, longest.Name.Length);
        Assert.Equal(["must be at most 200 characters"], error.Errors!["name"]);
    }

    [Fact]
    public void Name_length_counts_characters_not_utf16_units()
    {
        // 200 emoji are 400 UTF-16 units but 200 characters as a person counts them.
        var input = Read(Body(name: string.Concat(Enumerable.Repeat("😀", 200))));

        Assert.Equal(400, input.Name.Length);
    }

    [Fact]
    public void A_description_of_2000_characters_is_accepted_and_2001_is_refused()
    {
        var longest = Read(Body(description: new string('d', 2000)));
        var error = Refused(Body(description: new string('d', 2001)));

        Assert.Equal(2000, longest.Description!.Length);
        Assert.Equal(["must be at most 2000 characters"], error.Errors!["description"]);
    }

    [Fact]
    public void Create_refuses_a_description_that_is_not_a_string()
    {
        var error = Refused("""{"name":"cup","price":1,"description":{"text":"x"}}""");

        Assert.Equal(["must be a string"], error.Errors!["description"]);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("0.01", "0.01")]
    [InlineData("12.5", "12.5")]
    [InlineData("1.10", "1.10")]
    [InlineData("1.100", "1.100")]
    [InlineData("1e2", "100")]
    [InlineData("99999999.99", "99999999.99")]
    [InlineData("0.000e5", "0")]
    [InlineData("1250e-2", "12.5")]
    public void A_price_of_zero_or_more_with_at_most_two_decimals_is_accepted(string price, string expected)
    {
        var input = Read($$"""{"name":"cup","price":{{price}}}""");

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), input.Price);
    }

    [Theory]
    [InlineData("""{"name":"cup"}""", "is required")]
    [InlineData("""{"name":"cup","price":null}""", "is required")]
    [InlineData("""{"name":"cup","price":"12.50"}""", "must be a number")]
    [InlineData("""{"name":"cup","price":true}""", "must be a number")]
    [InlineData("""{"name":"cup","price":-0.01}""", "must be zero or more")]
    [InlineData("""{"name":"cup","price":1.005}""", "must have at most 2 decimals")]
    [InlineData("""{"name":"cup","price":1e40}""", "is out of range")]
    public void Create_refuses_a_missing_negative_or_too_precise_price(string body, string message)
    {
        var error = Refused(body);

        Assert.Equal([message], error.Errors!["price"]);
    }

    [Fact]
    public void Twenty_unique_tags_are_accepted_and_twenty_one_are_refused()
    {
        var twenty = Enumerable.Range(1, 20).Select(i => $"t{i}").ToArray();
        var twentyOne = Enumerable.Range(1, 21).Select(i => $"t{i}").ToArray();

        var input = Read(Body(tags: twenty));
        var error = Refused(Body(tags: twentyOne));

        Assert.Equal(20, input.Tags.Count);
        Assert.Equal(["must hold at most 20 tags"], error.Errors!["tags"]);
    }

    [Fact]
    public void A_tag_of_50_characters_is_accepted_and_51_or_none_are_refused()
    {
        var input = Read(Body(tags: [new string('t', 50)]));
        var tooLong = Refused(Body(tags: [new string('t', 51)]));
        var empty = Refused(Body(tags: [""]));

        Assert.Equal(50, input.Tags[0].Length);
        Assert.Equal(["each tag must be 1 to 50 characters"], tooLong.Errors!["tags"]);
        Assert.Equal(["each tag must be 1 to 50 characters"], empty.Errors!["tags"]);
    }

    [Fact]
    public void Create_refuses_a_repeated_tag()
    {
        var error = Refused(Body(tags: ["kitchen", "ceramic", "kitchen"]));

        Assert.Equal(["must not repeat a tag"], error.Errors!["tags"]);
    }

    [Fact]
    public void Tags_differing_only_in_case_are_different_tags()
    {
        var input = Read(Body(tags: ["Kitchen", "kitchen"]));

        Assert.Equal(2, input.Tags.Count);
    }

    [Theory]
    [InlineData("""{"name":"cup","price":1,"tags":"kitchen"}""")]
    [InlineData("""{"name":"cup","price":1,"tags":["kitchen",3]}""")]
    [InlineData("""{"name":"cup","price":1,"tags":[null]}""")]
    [InlineData("""{"name":"cup","price":1,"tags":{"0":"kitchen"}}""")]
    public void Create_refuses_tags_that_are_not_an_array_of_strings(string body)
    {
        var error = Refused(body);

        Assert.Equal(["must be an array of strings"], error.Errors!["tags"]);
    }

    [Fact]
    public void Create_refuses_an_unknown_field()
    {
        var error = Refused("""{"name":"cup","price":1,"colour":"white"}""");

        Assert.Equal(["is not a known field"], error.Errors!["colour"]);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        var error = Refused("""{"Name":"cup","price":1}""");

        Assert.Equal(["is not a known field"], error.Errors!["Name"]);
        Assert.Equal(["is required"], error.Errors["name"]);
    }

    [Fact]
    public void Create_refuses_a_field_that_appears_twice()
    {
        var error = Refused("""{"name":"cup","price":1,"name":"mug"}""");

        Assert.Contains("appears more than once", error.Errors!["name"]);
    }

    [Theory]
    [InlineData("""{"name":"cup","price":1,""")]
    [InlineData("""{name:"cup"}""")]
    [InlineData("not json")]
    [InlineData("""{"name":"cup","price":1} trailing""")]
    public void Create_refuses_a_body_that_is_not_json(string body)
    {
        var error = Refused(body);

        Assert.StartsWith("is not valid JSON", Assert.Single(error.Errors!["body"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"cup\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Create_refuses_json_that_is_not_an_object(string body)
    {
        var error = Refused(body);

        Assert.Equal(["must be a JSON object"], error.Errors!["body"]);
    }

    [Fact]
    public void Create_refuses_deeply_nested_json()
    {
        var body = """{"name":"cup","price":1,"extra":""" + new string('[', 40) + new string(']', 40) + "}";

        var error = Refused(body);

        Assert.Contains("body", error.Errors!.Keys);
    }

    [Fact]
    public void Every_wrong_field_is_reported_at_once_and_named_in_the_detail()
    {
        var error = Refused("""{"name":42,"description":[],"price":"1","tags":"a","colour":"white"}""");

        Assert.Equal(["colour", "description", "name", "price", "tags"], error.Errors!.Keys.Order(StringComparer.Ordinal));
        foreach (var field in error.Errors.Keys)
        {
            Assert.Contains($"{field}: ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_a_bad_request_not_a_crash()
    {
        // Only a base64-encoded body can carry bytes that are not UTF-8; they must be the client's 400, not our 500.
        var body = Encoding.UTF8.GetBytes("""{"name":"cup?","price":1}""");
        body[Array.IndexOf(body, (byte)'?')] = 0xFF;

        var error = Assert.Throws<ApiError>(() => ItemInputReader.Read(body));

        Assert.Equal(400, error.Status);
    }

    private static ItemInput Read(string body) => ItemBodies.Read(body);

    private static ApiError Refused(string body) => ItemBodies.Refused(body);

    private static string Body(string name = "cup", string? description = null, string[]? tags = null)
    {
        var json = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["price"] = 1 };
        if (description is not null)
        {
            json["description"] = description;
        }
        if (tags is not null)
        {
            json["tags"] = new System.Text.Json.Nodes.JsonArray(tags.Select(t => (System.Text.Json.Nodes.JsonNode?)t).ToArray());
        }
        return json.ToJsonString();
    }
}
