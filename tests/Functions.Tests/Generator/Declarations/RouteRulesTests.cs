using Functions.Declarations;

namespace Functions.Tests.Generator.Declarations;

/// <summary>
/// The one set of route rules: HttpApi strictness is what serve takes from any template, Handler strictness what a
/// declared handler (the generator, build/, ./fn new) may have. One table of cases for both.
/// </summary>
public sealed class RouteRulesTests
{
    public static TheoryData<string, bool, bool, string?> Keys => new()
    {
        // key, HTTP API takes it, a handler may have it, a word the refusal holds
        { "GET /items", true, true, null },
        { "GET /", true, true, null },
        { "ANY /{proxy+}", true, true, null },
        { "DELETE /items/{id}/tags/{tag}", true, true, null },
        { "GET /files/{path+}", true, true, null },
        { "GET /a/{_id}/{id2}", true, true, null },
        { "GET /literal:with@pchar~s", true, true, null },
        { "$default", true, true, null },
        { "GET /items/{item-id}", true, false, "(e.g. {itemId})" },
        { "GET /items/{a.b}", true, false, "(e.g. {aB})" },
        { "GET /items/{1st}", true, false, "(e.g. {_1st})" },
        { "GET /a/../b", true, false, "dot segment" },
        { "GET /a/./b", true, false, "dot segment" },
        { "GET /a b", true, false, "characters a route cannot hold" },
        { "GET /prôbe", true, false, "characters a route cannot hold" },
        { "GET /a%20b", true, false, "characters a route cannot hold" },
        { "get /items", false, false, "'get' is not a method" },
        { "FETCH /items", false, false, "use one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT" },
        { "/items", false, false, "expected \"METHOD /path\"" },
        { "GET", false, false, "expected \"METHOD /path\"" },
        { "GET items", false, false, "must start with '/'" },
        { "GET /items/", false, false, "must not end with '/'" },
        { "GET /items//x", false, false, "empty segment" },
        { "GET /items/{id}x", false, false, "not mixed with text" },
        { "GET /items/x{id}", false, false, "not mixed with text" },
        { "GET /items/{}", false, false, "no parameter name" },
        { "GET /items/{+}", false, false, "no parameter name" },
        { "GET /{path+}/x", false, false, "must be the last segment" },
        { "GET /{id}/{id}", false, false, "names the parameter {id} twice" },
        { "GET /{bad name}", false, false, "{bad name}" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_route_key_is_taken_or_refused_with_what_is_wrong(string key, bool httpApi, bool handler, string? refusal)
    {
        var takenByHttpApi = RouteRules.TryParseKey(key, RouteStrictness.HttpApi, out _, out var httpApiProblem);
        var takenForHandler = RouteRules.TryParseKey(key, RouteStrictness.Handler, out _, out var handlerProblem);

        Assert.Equal(httpApi, takenByHttpApi);
        Assert.Equal(handler, takenForHandler);
        if (refusal is not null)
        {
            Assert.Contains(refusal, httpApi ? handlerProblem : httpApiProblem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1000, 128, true)]
    [InlineData(1001, 10, false)]
    [InlineData(1000, 129, false)]
    public void A_path_is_at_most_1000_characters_and_a_handler_s_parameter_name_at_most_128(int length, int nameLength, bool taken)
    {
        var path = "/" + new string('x', length - nameLength - 4) + "/{" + new string('p', nameLength) + "}";

        Assert.Equal(taken, RouteRules.TryParse("GET", path, RouteStrictness.Handler, out _, out var problem));
        Assert.Equal(length <= RouteRules.MaxPathLength, RouteRules.TryParse("GET", path, RouteStrictness.HttpApi, out _, out _));
        Assert.True(taken || problem!.Contains("more than the", StringComparison.Ordinal));
    }

    [Fact]
    public void Routes_whose_parameters_are_named_otherwise_have_one_identity()
    {
        Assert.Equal(RouteRules.Identity("GET", "/items/{id}/files/{path+}"), RouteRules.Identity("GET", "/items/{key}/files/{rest+}"));
        Assert.Equal("GET /items/{}/files/{+}", RouteRules.Identity("GET", "/items/{id}/files/{path+}"));
        Assert.NotEqual(RouteRules.Identity("GET", "/items/{id}"), RouteRules.Identity("PUT", "/items/{id}"));
        Assert.NotEqual(RouteRules.Identity("GET", "/items/{id}"), RouteRules.Identity("GET", "/items/{id+}"));
    }

    [Fact]
    public void A_parsed_route_has_its_segments_parameters_and_key()
    {
        Assert.True(RouteRules.TryParseKey("GET /items/{id}/{rest+}", RouteStrictness.HttpApi, out var route, out _));

        Assert.Equal("GET", route!.Method);
        Assert.Equal("/items/{id}/{rest+}", route.Path);
        Assert.Equal([RouteSegmentKind.Literal, RouteSegmentKind.Parameter, RouteSegmentKind.Greedy], route.Segments.Select(s => s.Kind));
        Assert.Equal(["id", "rest"], route.ParameterNames);
        Assert.True(route.IsGreedy);
        Assert.Equal("GET /items/{id}/{rest+}", route.Key);
        Assert.Equal(["id", "rest"], RouteRules.Parameters(route.Path));
        Assert.Empty(RouteRules.Parameters("no/slash/{id}"));
    }

    [Fact]
    public void The_default_route_has_no_method_and_no_path()
    {
        Assert.True(RouteRules.TryParseKey("$default", RouteStrictness.HttpApi, out var route, out _));

        Assert.True(route!.IsDefault);
        Assert.Null(route.Method);
        Assert.Empty(route.Segments);
        Assert.Equal("$default", route.Identity);
    }
}
