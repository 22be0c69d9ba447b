using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Http;
using Functions.Json;
using Functions.Tools;

namespace Functions.Tests.Events;

public sealed class EventFileTests
{
    [Fact]
    public void Every_function_has_a_sample_event()
    {
        var functions = Repository.Locate().FunctionNames();

        Assert.NotEmpty(functions);
        Assert.All(functions, f => Assert.True(
            File.Exists(Path.Combine(SampleEvents.Folder, SampleEvents.Kebab(f) + ".json")), $"events/{SampleEvents.Kebab(f)}.json is missing"));
    }

    [Theory]
    [MemberData(nameof(SampleEvents.FileNames), MemberType = typeof(SampleEvents))]
    public void Every_event_is_named_after_a_function(string file)
    {
        var functions = Repository.Locate().FunctionNames().Select(SampleEvents.Kebab);

        Assert.Contains(SampleEvents.FunctionKebab(file), functions);
    }

    [Theory]
    [MemberData(nameof(SampleEvents.FileNames), MemberType = typeof(SampleEvents))]
    public void Every_event_deserializes_and_round_trips(string file)
    {
        // Arrange
        var json = SampleEvents.Read(file);

        // Act
        var request = JsonSerializer.Deserialize(json, FunctionsJson.Wire.HttpApiRequest);
        Assert.NotNull(request);
        var again = JsonSerializer.Serialize(request, FunctionsJson.Wire.HttpApiRequest);

        // Assert: the same JSON, whatever the order of its properties; nulls were never in the file.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(again)), $"{file} changed on the round trip:\n{again}");
    }

    [Theory]
    [MemberData(nameof(SampleEvents.FileNames), MemberType = typeof(SampleEvents))]
    public void Every_event_is_shaped_as_API_Gateway_or_a_function_URL_sends_it(string file)
    {
        // Arrange
        var json = SampleEvents.Read(file);

        // Act
        var request = JsonSerializer.Deserialize(json, FunctionsJson.Wire.HttpApiRequest)!;

        // Assert
        var context = request.RequestContext!;
        var http = context.Http!;
        Assert.Equal("2.0", request.Version);
        Assert.Equal(request.RouteKey, context.RouteKey);
        // A function URL's event has the route key $default and the URL's own host; an HTTP API route's, its verb and path.
        var viaUrl = request.RouteKey == "$default";
        if (!viaUrl)
        {
            Assert.Equal($"{http.Method} ", request.RouteKey![..(http.Method!.Length + 1)]);
        }
        Assert.Equal(request.RawPath, http.Path);
        Assert.NotNull(request.RawQueryString);
        Assert.Matches("^[0-9]{12}$", context.AccountId);
        Assert.Equal($"{context.DomainPrefix}.{(viaUrl ? "lambda-url.us-east-1.on.aws" : "execute-api.us-east-1.amazonaws.com")}", context.DomainName);
        Assert.Equal(context.ApiId, context.DomainPrefix);
        Assert.False(string.IsNullOrEmpty(context.RequestId));
        Assert.Equal("$default", context.Stage);
        Assert.Equal("HTTP/1.1", http.Protocol);
        Assert.True(IPAddress.TryParse(http.SourceIp, out _));
        Assert.Equal(request.Header("user-agent"), http.UserAgent);
        Assert.Equal(context.DomainName, request.Header("host"));
        Assert.All(request.Headers!.Keys, name => Assert.Equal(name.ToLowerInvariant(), name));
        var time = DateTimeOffset.ParseExact(context.Time!, "dd/MMM/yyyy:HH:mm:ss '+0000'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Equal(time.ToUnixTimeSeconds(), context.TimeEpoch / 1000);
    }

    [Theory]
    [MemberData(nameof(SampleEvents.FileNames), MemberType = typeof(SampleEvents))]
    public void Every_event_leaves_empty_maps_out(string file)
    {
        var json = JsonNode.Parse(SampleEvents.Read(file))!.AsObject();

        foreach (var name in new[] { "cookies", "headers", "queryStringParameters", "pathParameters", "stageVariables" })
        {
            if (json[name] is { } value)
            {
                Assert.True(value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 }, $"{file}: {name} is empty; API Gateway leaves it out");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SampleEvents.FileNames), MemberType = typeof(SampleEvents))]
    public void Every_event_agrees_with_itself_on_query_path_and_body(string file)
    {
        var request = JsonSerializer.Deserialize(SampleEvents.Read(file), FunctionsJson.Wire.HttpApiRequest)!;

        // The query string parameters are the raw query string, parsed.
        var parsed = request.RawQueryString!.Length == 0
            ? []
            : request.RawQueryString.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal(parsed, request.QueryStringParameters ?? []);

        // {id} in the route is the matching segment of the path (a function URL's $default has none).
        var route = request.RouteKey == "$default" ? request.RawPath! : request.RouteKey!.Split(' ', 2)[1];
        Assert.Equal(route.Contains("{id}", StringComparison.Ordinal), request.PathParameters?.ContainsKey("id") ?? false);
        if (request.PathParameter("id") is { } id)
        {
            Assert.Equal(route.Replace("{id}", id, StringComparison.Ordinal), request.RawPath);
        }

        // content-length counts the bytes the client sent, before API Gateway base64-encoded them.
        if (request.Body is { } body)
        {
            var bytes = request.IsBase64Encoded ? Convert.FromBase64String(body).Length : Encoding.UTF8.GetByteCount(body);
            Assert.Equal(bytes.ToString(CultureInfo.InvariantCulture), request.Header("content-length"));
        }
        else
        {
            Assert.Null(request.Header("content-length"));
        }
    }

    [Fact]
    public void The_events_README_lists_every_event_and_no_other()
    {
        var table = SampleEvents.Table();

        Assert.Equal(SampleEvents.Files(), table.Keys.Order(StringComparer.Ordinal));
        Assert.All(table, row => Assert.Equal(SampleEvents.FunctionKebab(row.Key), SampleEvents.Kebab(row.Value.Function)));
    }
}
