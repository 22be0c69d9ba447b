using Functions.Errors;
using Functions.Items;
using Functions.Tests.Http;

namespace Functions.Tests.Items;

public sealed class ItemRequestsTests
{
    [Fact]
    public void The_limit_defaults_to_20()
    {
        var limit = ItemRequests.Limit(TestRequests.Empty());

        Assert.Equal(ItemRequests.DefaultLimit, limit);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("20", 20)]
    [InlineData("100", 100)]
    public void A_limit_from_1_to_100_is_taken(string text, int expected)
    {
        var limit = ItemRequests.Limit(TestRequests.WithQuery("limit", text));

        Assert.Equal(expected, limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("1.5")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void List_refuses_a_limit_outside_1_to_100(string text)
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.Limit(TestRequests.WithQuery("limit", text)));

        Assert.Equal(400, error.Status);
        Assert.Equal(["must be a whole number from 1 to 100"], error.Errors!["limit"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_cursor_the_list_starts_at_the_first_page(string? cursor)
    {
        var request = cursor is null ? TestRequests.Empty() : TestRequests.WithQuery("cursor", cursor);

        var after = ItemRequests.After(request);

        Assert.Null(after);
    }

    [Fact]
    public void A_cursor_this_API_issued_gives_back_the_last_id_of_the_page()
    {
        var id = ItemId.New();

        var after = ItemRequests.After(TestRequests.WithQuery("cursor", Cursor.Encode(id)));

        Assert.Equal(id, after);
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("bm90LWEtY3Vyc29y")]
    [InlineData("MTpkR2hwY3lCcGN5QmhJSFJsYzNRaElR=")]
    [InlineData("!!!")]
    [InlineData("a")]
    public void List_refuses_a_cursor_it_did_not_issue(string cursor)
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.After(TestRequests.WithQuery("cursor", cursor)));

        Assert.Equal(400, error.Status);
        Assert.Contains("cursor", error.Errors!.Keys);
    }

    [Fact]
    public void List_refuses_a_cursor_of_another_version_or_with_an_id_we_cannot_have_made()
    {
        var otherVersion = Base64Url.Encode("2:dGhpcyBpcyBhIHRlc3QhIQ"u8);
        var badId = Base64Url.Encode("1:../etc/passwd"u8);

        Assert.Throws<ApiError>(() => ItemRequests.After(TestRequests.WithQuery("cursor", otherVersion)));
        Assert.Throws<ApiError>(() => ItemRequests.After(TestRequests.WithQuery("cursor", badId)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    [InlineData(" * ")]
    public void Without_a_version_in_If_Match_the_write_is_unconditional(string? ifMatch)
    {
        var expected = ItemRequests.ExpectedVersions(ifMatch);

        Assert.Null(expected);
    }

    [Theory]
    [InlineData("\"1\"", new long[] { 1 })]
    [InlineData(" \"7\" ", new long[] { 7 })]
    [InlineData("\"1\", \"2\"", new long[] { 1, 2 })]
    [InlineData("\"1\",\"2\" ,, \"3\"", new long[] { 1, 2, 3 })]
    [InlineData("W/\"1\", \"2\"", new long[] { 2 })]
    public void If_Match_is_the_versions_of_its_strong_tags_we_could_have_issued(string ifMatch, long[] versions)
    {
        var expected = ItemRequests.ExpectedVersions(ifMatch);

        Assert.Equal(versions, expected);
    }

    [Theory]
    [InlineData("\"01\"")]
    [InlineData("\"abc\", \"0\", \"-1\", \"1.0\"")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("W/\"1\"")]
    public void An_If_Match_that_names_no_version_we_could_issue_is_412_at_once(string ifMatch)
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.ExpectedVersions(ifMatch));

        Assert.Equal(412, error.Status);
    }

    [Fact]
    public void A_long_id_is_not_echoed_whole()
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.Id(new string('!', 8192)));

        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"1")]
    [InlineData("\"1\" \"2\"")]
    [InlineData("\"1\", *")]
    [InlineData("W/1")]
    [InlineData("\"a b\"")]
    [InlineData(",")]
    public void A_malformed_If_Match_is_400(string ifMatch)
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.ExpectedVersions(ifMatch));

        Assert.Equal(400, error.Status);
        Assert.Contains("If-Match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_If_Match_of_more_than_100_tags_is_400()
    {
        var header = string.Join(", ", Enumerable.Range(1, IfMatch.MaxTags + 1).Select(i => $"\"{i}\""));

        var error = Assert.Throws<ApiError>(() => ItemRequests.ExpectedVersions(header));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void Headers_are_looked_up_by_their_lowercase_name()
    {
        // API Gateway lowercases header names, so a handler may ask for "If-Match" as RFC 9110 spells it.
        var request = TestRequests.WithHeader("if-match", "\"3\"");

        var expected = ItemRequests.ExpectedVersions(request.Header("if-match"));

        Assert.Equal([3L], expected);
        Assert.Equal("\"3\"", request.Header("If-Match"));
    }

    [Theory]
    [InlineData("dGhpcyBpcyBhIHRlc3QhIQ")]
    [InlineData("a")]
    [InlineData("A-_z09")]
    public void A_well_formed_id_is_taken_from_the_path(string id)
    {
        var taken = ItemRequests.Id(TestRequests.WithPathParameter("id", id));

        Assert.Equal(id, taken);
    }

    [Fact]
    public void An_id_made_by_the_store_is_well_formed()
    {
        var id = ItemId.New();

        Assert.Equal(22, id.Length);
        Assert.Equal(id, ItemRequests.Id(TestRequests.WithPathParameter("id", id)));
    }

    [Theory]
    [InlineData("item.json")]
    [InlineData("a b")]
    [InlineData("../x")]
    [InlineData("é")]
    [InlineData("")]
    public void Get_answers_404_for_an_id_we_could_never_have_made(string id)
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.Id(TestRequests.WithPathParameter("id", id)));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public void An_id_of_64_characters_is_taken_and_65_is_not_found()
    {
        var longest = ItemRequests.Id(TestRequests.WithPathParameter("id", new string('a', 64)));
        var error = Assert.Throws<ApiError>(() => ItemRequests.Id(TestRequests.WithPathParameter("id", new string('a', 65))));

        Assert.Equal(64, longest.Length);
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public void A_request_without_the_id_parameter_is_not_found()
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.Id(TestRequests.Empty()));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public void The_caller_is_the_sub_of_the_token_the_authorizer_accepted()
    {
        var caller = ItemRequests.Caller(TestRequests.WithClaim("sub", "alice \u00e9 \U0001F600"));

        Assert.Equal("alice \u00e9 \U0001F600", caller);
    }

    [Fact]
    public void Without_an_authorizer_there_is_no_caller()
    {
        var caller = ItemRequests.Caller(TestRequests.Empty());

        Assert.Null(caller);
    }

    [Theory]
    [InlineData("alice\u0000", "U+0000 (a control character)")]
    [InlineData("alice\nbob", "U+000A (a control character)")]
    [InlineData("\talice", "U+0009 (a control character)")]
    [InlineData("alice\u001b[2J", "U+001B (a control character)")]
    [InlineData("ecila\u202Ealice", "U+202E (a bidirectional control)")]
    [InlineData("\u2067alice", "U+2067 (a bidirectional control)")]
    [InlineData("alice\u200F", "U+200F (a bidirectional control)")]
    public void A_sub_with_a_character_a_reader_cannot_see_is_refused_as_names_are_not_stored_as_the_writer(string sub, string named)
    {
        var error = Assert.Throws<ApiError>(() => ItemRequests.Caller(TestRequests.WithClaim("sub", sub)));

        Assert.Equal(403, error.Status);
        Assert.Equal("Forbidden", Problem.TitleOf(error.Status));
        Assert.Equal(
            $"The token's sub holds {named}, which this API does not record as the writer of an item (createdBy, updatedBy): use a token whose sub is plain text.",
            error.Message);
        Assert.Null(error.Errors);
    }

    [Fact]
    public void Names_and_callers_keep_one_rule()
    {
        var name = Assert.Throws<ApiError>(() => ItemInputReader.Read(System.Text.Encoding.UTF8.GetBytes("""{"name":"a\u202Eb","price":1}""")));
        var caller = Assert.Throws<ApiError>(() => ItemRequests.Caller(TestRequests.WithClaim("sub", "a\u202Eb")));

        Assert.Equal("must not contain U+202E (a bidirectional control)", Assert.Single(name.Errors!["name"]));
        Assert.Contains("U+202E (a bidirectional control)", caller.Message, StringComparison.Ordinal);
    }
}
