using Functions.Tools;
using Functions.Tools.ApiGateway;
using Functions.Tools.Template;

namespace Functions.Tests.ApiGateway;

/// <summary>HTTP API route selection: the most specific route wins, as AWS documents it.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public void Exact_path_beats_a_path_parameter()
    {
        // Arrange
        var table = Table("GET /pets/dog/{id}", "GET /pets/dog/1");

        // Act
        var match = table.Match("GET", "/pets/dog/1");

        // Assert
        Assert.Equal("GET /pets/dog/1", match?.Route.RouteKey);
    }

    [Fact]
    public void A_path_parameter_beats_a_greedy_variable()
    {
        // Arrange
        var table = Table("GET /pets/{proxy+}", "GET /pets/{id}");

        // Act
        var match = table.Match("GET", "/pets/7");

        // Assert
        Assert.Equal("GET /pets/{id}", match?.Route.RouteKey);
    }

    [Fact]
    public void A_greedy_variable_beats_the_default_route()
    {
        // Arrange
        var table = Table("$default", "ANY /{proxy+}");

        // Act
        var match = table.Match("DELETE", "/anything/at/all");

        // Assert
        Assert.Equal("ANY /{proxy+}", match?.Route.RouteKey);
    }

    [Fact]
    public void The_default_route_catches_what_nothing_else_matches()
    {
        // Arrange
        var table = Table("GET /items", "$default");

        // Act
        var match = table.Match("POST", "/elsewhere");

        // Assert
        Assert.Equal("$default", match?.Route.RouteKey);
        Assert.Empty(match!.PathParameters);
    }

    [Fact]
    public void A_route_for_the_method_beats_ANY_for_the_same_path()
    {
        // Arrange
        var table = Table("ANY /items/{id}", "GET /items/{id}");

        // Act
        var get = table.Match("GET", "/items/1");
        var delete = table.Match("DELETE", "/items/1");

        // Assert
        Assert.Equal("GET /items/{id}", get?.Route.RouteKey);
        Assert.Equal("ANY /items/{id}", delete?.Route.RouteKey);
    }

    [Fact]
    public void A_more_specific_path_beats_a_route_for_the_method()
    {
        // Arrange
        var table = Table("GET /{proxy+}", "ANY /pets/{proxy+}");

        // Act
        var match = table.Match("GET", "/pets/cat");

        // Assert
        Assert.Equal("ANY /pets/{proxy+}", match?.Route.RouteKey);
    }

    [Fact]
    public void The_route_with_more_leading_literals_wins()
    {
        // Arrange
        var table = Table("GET /{a}/b/c", "GET /a/{b}/c", "GET /a/b/{c}");

        // Act
        var match = table.Match("GET", "/a/b/c");

        // Assert
        Assert.Equal("GET /a/b/{c}", match?.Route.RouteKey);
    }

    [Fact]
    public void A_deeper_greedy_route_beats_a_shallower_one()
    {
        // Arrange
        var table = Table("ANY /{proxy+}", "ANY /pets/{proxy+}");

        // Act
        var match = table.Match("GET", "/pets/cat/1");

        // Assert
        Assert.Equal("ANY /pets/{proxy+}", match?.Route.RouteKey);
        Assert.Equal("cat/1", match!.PathParameters["proxy"]);
    }

    [Fact]
    public void A_full_match_beats_a_greedy_route_even_with_fewer_literals()
    {
        // Arrange
        var table = Table("GET /x/{proxy+}", "GET /{a}/b/c");

        // Act
        var match = table.Match("GET", "/x/b/c");

        // Assert
        Assert.Equal("GET /{a}/b/c", match?.Route.RouteKey);
    }

    [Fact]
    public void Routes_equal_in_priority_keep_the_template_order()
    {
        // Arrange
        var table = Table("GET /a/{first}", "GET /a/{second}");

        // Act
        var match = table.Match("GET", "/a/1");

        // Assert
        Assert.Equal("GET /a/{first}", match?.Route.RouteKey);
    }

    [Theory]
    [InlineData("GET", "/pets/dog/1", "GET /pets/dog/1")]
    [InlineData("GET", "/pets/dog/2", "GET /pets/dog/{id}")]
    [InlineData("GET", "/pets/cat/1", "GET /pets/{proxy+}")]
    [InlineData("POST", "/test/5", "ANY /{proxy+}")]
    [InlineData("GET", "/", "$default")]
    public void The_documented_example_routes_select_as_documented(string method, string path, string expected)
    {
        // Arrange: the example routes of "Routing API requests" in the HTTP API developer guide.
        var table = Table("GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default");

        // Act
        var match = table.Match(method, path);

        // Assert
        Assert.Equal(expected, match?.Route.RouteKey);
    }

    [Fact]
    public void No_matching_route_gives_null()
    {
        // Arrange
        var table = Table("GET /items", "GET /items/{id}");

        // Act
        var otherPath = table.Match("GET", "/orders");
        var otherMethod = table.Match("POST", "/items");

        // Assert
        Assert.Null(otherPath);
        Assert.Null(otherMethod);
    }

    [Theory]
    [InlineData("/files")]
    [InlineData("/files/")]
    public void A_greedy_variable_needs_at_least_one_segment(string path)
    {
        // Arrange
        var table = Table("GET /files/{proxy+}");

        // Act
        var match = table.Match("GET", path);

        // Assert
        Assert.Null(match);
    }

    [Fact]
    public void A_greedy_variable_takes_every_remaining_segment()
    {
        // Arrange
        var table = Table("GET /files/{path+}");

        // Act
        var match = table.Match("GET", "/files/a/b/c.txt");

        // Assert
        Assert.Equal("a/b/c.txt", match?.PathParameters["path"]);
    }

    [Fact]
    public void The_root_path_is_not_matched_by_a_greedy_variable()
    {
        // Arrange
        var table = Table("ANY /{proxy+}", "GET /");

        // Act
        var root = table.Match("GET", "/");
        var rootPost = table.Match("POST", "/");

        // Assert
        Assert.Equal("GET /", root?.Route.RouteKey);
        Assert.Null(rootPost);
    }

    [Theory]
    [InlineData("/items/a/b")]
    [InlineData("/items")]
    public void A_path_parameter_takes_exactly_one_segment(string path)
    {
        // Arrange
        var table = Table("GET /items/{id}");

        // Act
        var match = table.Match("GET", path);

        // Assert
        Assert.Null(match);
    }

    [Fact]
    public void A_path_parameter_needs_a_value()
    {
        // Arrange
        var table = Table("GET /items/{id}/tags");

        // Act
        var match = table.Match("GET", "/items//tags");

        // Assert
        Assert.Null(match);
    }

    [Fact]
    public void Paths_are_case_sensitive()
    {
        // Arrange
        var table = Table("GET /items");

        // Act
        var match = table.Match("GET", "/Items");

        // Assert
        Assert.Null(match);
    }

    [Fact]
    public void One_trailing_slash_on_the_request_is_ignored()
    {
        // Arrange
        var table = Table("GET /items", "GET /items/{id}");

        // Act
        var list = table.Match("GET", "/items/");
        var item = table.Match("GET", "/items/42/");

        // Assert
        Assert.Equal("GET /items", list?.Route.RouteKey);
        Assert.Equal("42", item?.PathParameters["id"]);
    }

    [Fact]
    public void Path_parameters_are_segments_of_the_decoded_path()
    {
        // Arrange
        var table = Table("GET /items/{id}");
        var request = GatewayRequests.Get("/items/a%20b-c%C3%A9");

        // Act
        var match = table.Match("GET", request.Path);

        // Assert
        Assert.Equal("a b-cé", match?.PathParameters["id"]);
    }

    [Theory]
    [InlineData("/items/a%2Fb")]
    [InlineData("/items/a%2fb")]
    public void An_encoded_slash_is_flagged_so_it_reaches_no_route(string path)
    {
        var request = GatewayRequests.Get(path);

        Assert.True(request.HasEncodedSlash);
        Assert.False(GatewayRequests.Get("/items/a%20b").HasEncodedSlash);
    }

    [Fact]
    public void A_plus_in_a_path_parameter_stays_a_plus()
    {
        // Arrange
        var table = Table("GET /items/{id}");

        // Act
        var match = table.Match("GET", "/items/a+b");

        // Assert
        Assert.Equal("a+b", match?.PathParameters["id"]);
    }

    [Fact]
    public void A_greedy_value_is_the_rest_of_the_decoded_path()
    {
        // Arrange
        var table = Table("GET /files/{proxy+}");

        // Act
        var match = table.Match("GET", GatewayRequests.Get("/files/my%20docs/a%2Bb.txt").Path);

        // Assert
        Assert.Equal("my docs/a+b.txt", match?.PathParameters["proxy"]);
    }

    [Fact]
    public void Several_path_parameters_are_all_captured()
    {
        // Arrange
        var table = Table("PUT /users/{user}/items/{item}");

        // Act
        var match = table.Match("PUT", "/users/u1/items/i2");

        // Assert
        Assert.Equal(new Dictionary<string, string> { ["user"] = "u1", ["item"] = "i2" }, match?.PathParameters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("get /items")]
    [InlineData("GET /{bad name}")]
    [InlineData("$DEFAULT")]
    public void A_malformed_route_key_is_rejected(string routeKey)
    {
        // Arrange
        var routes = new[] { new TemplateRoute(routeKey, "Fn") };

        // Act
        var error = Assert.Throws<BadFileError>(() => RouteTable.Create(routes));

        // Assert
        Assert.Contains($"\"{routeKey}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_route_key_is_rejected()
    {
        // Arrange
        var routes = new[] { new TemplateRoute("GET /items", "A"), new TemplateRoute("GET /items", "B") };

        // Act
        var error = Assert.Throws<BadFileError>(() => RouteTable.Create(routes));

        // Assert
        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_are_listed_by_path_then_method_with_default_last()
    {
        // Arrange
        var table = Table("$default", "PUT /items/{id}", "ANY /items/{id}", "GET /items/{id}", "POST /items", "GET /hello");

        // Act
        var keys = table.Routes.Select(r => r.RouteKey);

        // Assert
        Assert.Equal(["GET /hello", "POST /items", "GET /items/{id}", "PUT /items/{id}", "ANY /items/{id}", "$default"], keys);
    }

    [Fact]
    public void The_match_carries_the_route_and_its_function()
    {
        // Arrange
        var route = new TemplateRoute("GET /hello", "HelloFunction");
        var table = RouteTable.Create([route]);

        // Act
        var match = table.Match("GET", "/hello");

        // Assert
        Assert.Equal(route, match?.Route);
    }

    private static RouteTable Table(params string[] routeKeys) =>
        RouteTable.Create(routeKeys.Select(k => new TemplateRoute(k, "Fn")));
}
