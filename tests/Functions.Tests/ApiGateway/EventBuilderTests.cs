using System.Text.Json;
using Functions.Tools.ApiGateway;
using static Functions.Tests.ApiGateway.GatewayRequests;

namespace Functions.Tests.ApiGateway;

/// <summary>The payload format 2.0 event, field by field, as HTTP API builds it.</summary>
public sealed class EventBuilderTests
{
    [Fact]
    public void The_event_names_its_version_route_and_target_with_the_path_decoded()
    {
        // Arrange: HTTP API hands the function the path decoded and the query string as sent.
        var request = Get("/items/a%20b%C3%A9", "limit=10&cursor=x%3D");

        // Act
        var e = Event(request, Match("GET /items/{id}", ("id", "a b")));

        // Assert
        Assert.Equal("2.0", e.GetProperty("version").GetString());
        Assert.Equal("GET /items/{id}", e.GetProperty("routeKey").GetString());
        Assert.Equal("/items/a bé", e.GetProperty("rawPath").GetString());
        Assert.Equal("/items/a bé", e.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
        Assert.Equal("limit=10&cursor=x%3D", e.GetProperty("rawQueryString").GetString());
    }

    [Fact]
    public void The_request_context_describes_the_request()
    {
        // Arrange
        var request = Get("/hello", "", ("User-Agent", "curl/8.5.0"));

        // Act
        var context = Event(request, Match("GET /hello")).GetProperty("requestContext");

        // Assert
        Assert.Equal("123456789012", context.GetProperty("accountId").GetString());
        Assert.Equal(EventBuilder.ApiId, context.GetProperty("apiId").GetString());
        Assert.Equal("127.0.0.1:3000", context.GetProperty("domainName").GetString());
        Assert.Equal("127", context.GetProperty("domainPrefix").GetString());
        var http = context.GetProperty("http");
        Assert.Equal("GET", http.GetProperty("method").GetString());
        Assert.Equal("/hello", http.GetProperty("path").GetString());
        Assert.Equal("HTTP/1.1", http.GetProperty("protocol").GetString());
        Assert.Equal("127.0.0.1", http.GetProperty("sourceIp").GetString());
        Assert.Equal("curl/8.5.0", http.GetProperty("userAgent").GetString());
        Assert.Equal(RequestId, context.GetProperty("requestId").GetString());
        Assert.Equal("GET /hello", context.GetProperty("routeKey").GetString());
        Assert.Equal("$default", context.GetProperty("stage").GetString());
        Assert.Equal("12/Mar/2020:19:03:58 +0000", context.GetProperty("time").GetString());
        Assert.Equal(1584039838390, context.GetProperty("timeEpoch").GetInt64());
    }

    [Fact]
    public void An_authorized_request_carries_the_token_s_claims_and_scopes_as_HTTP_API_passes_them()
    {
        var jwt = new JwtContext([new("sub", "alice"), new("exp", "1796194829"), new("cognito:groups", "[admin editors]")], ["items:write"]);

        var authorizer = Event(Get("/items"), jwt: jwt).GetProperty("requestContext").GetProperty("authorizer").GetProperty("jwt");

        Assert.Equal("""{"sub":"alice","exp":"1796194829","cognito:groups":"[admin editors]"}""", authorizer.GetProperty("claims").GetRawText());
        Assert.Equal("""["items:write"]""", authorizer.GetProperty("scopes").GetRawText());
    }

    [Fact]
    public void A_route_without_scopes_gets_null_scopes_and_an_open_route_no_authorizer()
    {
        var scopeless = Event(Get("/items"), jwt: new JwtContext([new("sub", "alice")], null)).GetProperty("requestContext").GetProperty("authorizer").GetProperty("jwt");
        var open = Event(Get("/items")).GetProperty("requestContext");

        Assert.Equal(JsonValueKind.Null, scopeless.GetProperty("scopes").ValueKind);
        Assert.False(open.TryGetProperty("authorizer", out _));
    }

    [Fact]
    public void The_time_is_written_in_UTC_with_a_padded_day()
    {
        // Arrange
        var now = new DateTimeOffset(2020, 3, 4, 11, 5, 7, TimeSpan.FromHours(2));

        // Act
        var time = Event(Get("/"), now: now).GetProperty("requestContext").GetProperty("time").GetString();

        // Assert
        Assert.Equal("04/Mar/2020:09:05:07 +0000", time);
    }

    [Theory]
    [InlineData("localhost:3000", "localhost")]
    [InlineData("id.execute-api.us-east-1.amazonaws.com", "id")]
    [InlineData("[::1]:3000", "[::1]")]
    public void The_domain_prefix_is_the_first_label_of_the_host(string host, string prefix)
    {
        // Arrange
        var request = Get("/") with { Host = host };

        // Act
        var context = Event(request).GetProperty("requestContext");

        // Assert
        Assert.Equal(host, context.GetProperty("domainName").GetString());
        Assert.Equal(prefix, context.GetProperty("domainPrefix").GetString());
    }

    [Fact]
    public void The_user_agent_is_empty_when_the_client_sends_none()
    {
        // Arrange
        var request = Get("/");

        // Act
        var http = Event(request).GetProperty("requestContext").GetProperty("http");

        // Assert
        Assert.Equal("", http.GetProperty("userAgent").GetString());
    }

    [Fact]
    public void Header_names_are_lowercased()
    {
        // Arrange
        var request = Get("/", "", ("X-Request-Source", "tests"), ("Accept", "*/*"));

        // Act
        var headers = Event(request).GetProperty("headers");

        // Assert
        Assert.Equal("tests", headers.GetProperty("x-request-source").GetString());
        Assert.Equal("*/*", headers.GetProperty("accept").GetString());
        Assert.Equal(Host, headers.GetProperty("host").GetString());
        Assert.DoesNotContain(headers.EnumerateObject(), h => h.Name != h.Name.ToLowerInvariant());
    }

    [Fact]
    public void Repeated_headers_are_joined_with_commas()
    {
        // Arrange
        var request = Get("/", "", ("X-Tag", "a"), ("x-tag", "b"), ("X-TAG", "c"));

        // Act
        var headers = Event(request).GetProperty("headers");

        // Assert
        Assert.Equal("a,b,c", headers.GetProperty("x-tag").GetString());
    }

    [Fact]
    public void The_cookie_header_becomes_the_cookies_array()
    {
        // Arrange
        var request = Get("/", "", ("Cookie", "session=abc; theme=dark"), ("cookie", "lang=en"));

        // Act
        var e = Event(request);

        // Assert
        Assert.Equal(["session=abc", "theme=dark", "lang=en"], e.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.False(e.GetProperty("headers").TryGetProperty("cookie", out _));
    }

    [Fact]
    public void Forwarded_headers_describe_the_client()
    {
        // Arrange
        var request = Get("/");

        // Act
        var headers = Event(request).GetProperty("headers");

        // Assert
        Assert.Equal(SourceIp, headers.GetProperty("x-forwarded-for").GetString());
        Assert.Equal("3000", headers.GetProperty("x-forwarded-port").GetString());
        Assert.Equal("http", headers.GetProperty("x-forwarded-proto").GetString());
    }

    [Fact]
    public void A_forwarded_for_header_from_the_client_comes_before_its_address()
    {
        // Arrange
        var request = Get("/", "", ("X-Forwarded-For", "203.0.113.7"));

        // Act
        var headers = Event(request).GetProperty("headers");

        // Assert
        Assert.Equal("203.0.113.7, 127.0.0.1", headers.GetProperty("x-forwarded-for").GetString());
    }

    [Fact]
    public void Repeated_query_parameters_are_joined_with_commas()
    {
        // Arrange
        var request = Get("/", "tag=a&limit=5&tag=b");

        // Act
        var query = Event(request).GetProperty("queryStringParameters");

        // Assert
        Assert.Equal("a,b", query.GetProperty("tag").GetString());
        Assert.Equal("5", query.GetProperty("limit").GetString());
    }

    [Fact]
    public void Query_names_and_values_are_decoded()
    {
        // Arrange
        var request = Get("/", "q=red+shoes&sum=1%2B1&na%6De=%C3%A9t%C3%A9");

        // Act
        var query = Event(request).GetProperty("queryStringParameters");

        // Assert
        Assert.Equal("red shoes", query.GetProperty("q").GetString());
        Assert.Equal("1+1", query.GetProperty("sum").GetString());
        Assert.Equal("été", query.GetProperty("name").GetString());
    }

    [Fact]
    public void A_query_parameter_without_a_value_is_empty()
    {
        // Arrange
        var request = Get("/", "flag&x=1");

        // Act
        var query = Event(request).GetProperty("queryStringParameters");

        // Assert
        Assert.Equal("", query.GetProperty("flag").GetString());
        Assert.Equal("1", query.GetProperty("x").GetString());
    }

    [Fact]
    public void Path_parameters_are_in_the_event()
    {
        // Arrange
        var match = Match("GET /users/{user}/items/{item}", ("user", "u 1"), ("item", "i2"));

        // Act
        var parameters = Event(Get("/users/u%201/items/i2"), match).GetProperty("pathParameters");

        // Assert
        Assert.Equal("u 1", parameters.GetProperty("user").GetString());
        Assert.Equal("i2", parameters.GetProperty("item").GetString());
    }

    [Fact]
    public void Empty_collections_and_an_empty_body_are_left_out()
    {
        // Arrange
        var request = Get("/hello");

        // Act
        var e = Event(request, Match("GET /hello"));

        // Assert
        var keys = e.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "isBase64Encoded"], keys);
        Assert.Equal("", e.GetProperty("rawQueryString").GetString());
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void The_default_route_is_named_in_the_event()
    {
        // Arrange
        var request = Get("/anything");

        // Act
        var e = Event(request, Match("$default"));

        // Assert
        Assert.Equal("$default", e.GetProperty("routeKey").GetString());
        Assert.Equal("$default", e.GetProperty("requestContext").GetProperty("routeKey").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/html; charset=utf-8")]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/XML")]
    [InlineData("application/javascript")]
    public void A_text_body_is_passed_as_text(string contentType)
    {
        // Arrange
        var request = Post("/items", Utf8("""{"name":"café <&>"}"""), contentType);

        // Act
        var e = Event(request);

        // Assert
        Assert.Equal("""{"name":"café <&>"}""", e.GetProperty("body").GetString());
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("image/png")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/problem+json")]
    [InlineData(null)]
    public void Any_other_body_is_base64_encoded(string? contentType)
    {
        // Arrange
        byte[] body = [0x00, 0xFF, 0x10, (byte)'a'];
        var request = Post("/upload", body, contentType);

        // Act
        var e = Event(request);

        // Assert
        Assert.Equal(body, Convert.FromBase64String(e.GetProperty("body").GetString()!));
        Assert.True(e.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void The_event_is_UTF8_JSON()
    {
        // Arrange
        var request = Post("/items", Utf8("€"), "text/plain");

        // Act
        var bytes = EventBuilder.ToEvent(request, Match("$default"), RequestId, Now, EventBuilder.TraceRootOf(request));

        // Assert
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal("€", document.RootElement.GetProperty("body").GetString());
        Assert.Contains("\"body\":\"€\"", System.Text.Encoding.UTF8.GetString(bytes.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_body_that_is_not_UTF_8_goes_as_its_bytes_not_rewritten()
    {
        // Arrange: "caf" + a lone 0xE9 (Latin-1 é), which decoding would turn into U+FFFD.
        byte[] body = [.. Utf8("{\"name\":\"caf"), 0xE9, .. Utf8("\",\"price\":1}")];

        // Act
        var e = Event(Post("/items", body, "application/json"));

        // Assert
        Assert.True(e.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(body, Convert.FromBase64String(e.GetProperty("body").GetString()!));
    }

    [Theory]
    [InlineData("{\"name\":\"a \\\"quoted\\\" name\",\"price\":1}")]
    [InlineData("tab\tnewline\nbell\u0007 end")]
    [InlineData("é € 😀 \u2028 </script>")]
    public void A_text_body_reaches_the_function_exactly_as_sent_whatever_it_escapes(string body)
    {
        // Arrange: quotes, backslashes and control characters are escaped into the event; the reader must undo it.
        var request = Post("/items", Utf8(body), "application/json");

        // Act
        var e = Event(request);

        // Assert
        Assert.Equal(body, e.GetProperty("body").GetString());
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void A_large_body_is_written_whole_across_the_encoder_s_slices()
    {
        // Arrange: 1 MB of JSON, larger than one encoding slice, with a multi-byte character on every boundary.
        var body = string.Concat(Enumerable.Repeat("{\"n\":\"é😀\"},", 40_000));
        var binary = Enumerable.Range(0, 1_000_001).Select(i => (byte)(i * 7)).ToArray();

        // Act
        var text = Event(Post("/items", Utf8(body), "application/json"));
        var bytes = Event(Post("/items", binary, "application/octet-stream"));

        // Assert
        Assert.Equal(body, text.GetProperty("body").GetString());
        Assert.Equal(binary, bytes.GetProperty("body").GetBytesFromBase64());
        Assert.True(bytes.GetProperty("isBase64Encoded").GetBoolean());
    }
}
