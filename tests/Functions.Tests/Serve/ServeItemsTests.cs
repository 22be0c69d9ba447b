using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Functions.Tests.Cli;
using Functions.Tests.Functions;

namespace Functions.Tests.Serve;

/// <summary>One `./fn serve --in-memory` over the six Native AOT functions, shared by the tests of this class.</summary>
public sealed class ServedItemsFixture : IAsyncLifetime
{
    internal FnProcess Serve { get; private set; } = null!;

    public async Task InitializeAsync() => Serve = await FnProcess.StartAsync("--in-memory");

    public async Task DisposeAsync() => await Serve.DisposeAsync();
}

/// <summary>The items API end to end over real HTTP: ./fn serve, the AOT bootstraps as processes, dynalite.</summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class ServeItemsTests(ServedItemsFixture served) : IClassFixture<ServedItemsFixture>
{
    private HttpClient Client => served.Serve.Client;

    [Fact]
    public async Task The_whole_CRUD_story_works_through_serve()
    {
        // Create
        using var created = await SendAsync(HttpMethod.Post, "/items", """{"name":"Espresso cup","price":12.5,"tags":["kitchen"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await JsonAsync(created);
        var id = item.GetProperty("id").GetString()!;
        Assert.Equal($"/items/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);

        // Get
        using var got = await Client.GetAsync($"/items/{id}");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal("Espresso cup", (await JsonAsync(got)).GetProperty("name").GetString());

        // Update with If-Match, then a stale If-Match
        using var updated = await SendAsync(HttpMethod.Put, $"/items/{id}", """{"name":"Espresso cup","price":14}""", ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, (await JsonAsync(updated)).GetProperty("version").GetInt64());
        using var stale = await SendAsync(HttpMethod.Put, $"/items/{id}", """{"name":"Old","price":1}""", ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);

        // List finds it
        var listed = await ListAllAsync(limit: 100);
        Assert.Contains(id, listed);

        // Delete, then it is gone
        using var deleted = await SendAsync(HttpMethod.Delete, $"/items/{id}", null, ifMatch: "\"2\"");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await Client.GetAsync($"/items/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Hello_answers_through_serve()
    {
        using var response = await Client.GetAsync("/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", (await JsonAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Fifty_clients_creating_forty_items_each_find_every_item_listed_exactly_once()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var ids = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async client =>
        {
            for (var i = 0; i < 40; i++)
            {
                using var response = await SendAsync(HttpMethod.Post, "/items", $$"""{"name":"load {{client}}-{{i}}","price":1,"tags":["{{tag}}"]}""");
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    ids.Add((await JsonAsync(response)).GetProperty("id").GetString()!);
                }
            }
        }));
        var listed = await ListAllAsync(limit: 100);

        Assert.DoesNotContain(statuses, s => (int)s >= 500);
        Assert.Equal(2000, ids.Distinct().Count());
        var ours = listed.Where(ids.Contains).ToList();
        Assert.Equal(2000, ours.Count);
        Assert.Equal(ours.Count, ours.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_conditional_updates_of_one_item_succeed_exactly_once_per_version()
    {
        using var created = await SendAsync(HttpMethod.Post, "/items", """{"name":"contended","price":1}""");
        var id = (await JsonAsync(created)).GetProperty("id").GetString()!;

        for (var version = 1; version <= 3; version++)
        {
            var etag = $"\"{version}\"";
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                SendAsync(HttpMethod.Put, $"/items/{id}", $$"""{"name":"writer {{i}}","price":{{i}}}""", ifMatch: etag)));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        using var final = await Client.GetAsync($"/items/{id}");
        Assert.Equal(4, (await JsonAsync(final)).GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("POST", "/items", "application/json", "{\"name\":")]
    [InlineData("POST", "/items", "application/json", "[1,2]")]
    [InlineData("POST", "/items", "application/json", "{\"name\":42,\"price\":1}")]
    [InlineData("POST", "/items", "application/json", "{\"name\":\"x\",\"price\":\"cheap\"}")]
    [InlineData("POST", "/items", "application/json", "{\"name\":\"x\",\"price\":1,\"colour\":\"red\"}")]
    [InlineData("POST", "/items", "application/json", "{\"name\":\"x\",\"price\":-1}")]
    [InlineData("POST", "/items", "application/json", "{\"price\":1}")]
    [InlineData("POST", "/items", "application/json", "")]
    [InlineData("POST", "/items", "text/plain", "{\"name\":\"x\",\"price\":1}")]
    [InlineData("POST", "/items", "application/octet-stream", "\u0001\u0002")]
    [InlineData("PUT", "/items/not*an*id", "application/json", "{\"name\":\"x\",\"price\":1}")]
    [InlineData("PUT", "/items/dGhpcyBpcyBhIHRlc3QhIQ", "application/json", "{\"name\":\"x\",\"price\":1}")]
    [InlineData("GET", "/items/%20", null, null)]
    [InlineData("GET", "/items/not*an*id", null, null)]
    [InlineData("GET", "/items?limit=0", null, null)]
    [InlineData("GET", "/items?limit=101", null, null)]
    [InlineData("GET", "/items?limit=ten", null, null)]
    [InlineData("GET", "/items?cursor=bm9wZQ", null, null)]
    [InlineData("GET", "/items?cursor=%%%", null, null)]
    [InlineData("DELETE", "/items/dGhpcyBpcyBhIHRlc3QhIQ", null, null)]
    public async Task Malformed_input_is_a_4xx_problem_never_a_5xx(string method, string path, string? contentType, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await Client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("instance").GetString()));
    }

    [Fact]
    public async Task An_oversize_item_body_is_a_413_problem()
    {
        var name = new string('x', 70 * 1024);

        using var response = await SendAsync(HttpMethod.Post, "/items", $$"""{"name":"{{name}}","price":1}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_export_streams_every_item_as_a_JSON_line_through_its_function_URL_to_signed_requests_only()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        foreach (var n in Enumerable.Range(1, 3))
        {
            using var created = await SendAsync(HttpMethod.Post, "/items", $$"""{"name":"export {{tag}} {{n}}","price":{{n}}}""");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using var urls = new HttpClient { BaseAddress = served.Serve.UrlAddress };

        using var unsigned = await urls.GetAsync("/Items.Export/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Items.Export/");
        foreach (var (name, value) in DummyApi.SigV4Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var exported = await urls.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var lines = (await exported.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        Assert.Equal("application/x-ndjson", exported.Content.Headers.ContentType?.MediaType);
        Assert.True(exported.Headers.TransferEncodingChunked);
        var names = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("name").GetString()).ToList();
        Assert.Equal([$"export {tag} 1", $"export {tag} 2", $"export {tag} 3"], names.Where(n => n!.Contains(tag, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await Client.SendAsync(request);
    }

    private async Task<List<string>> ListAllAsync(int limit)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var path = $"/items?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await JsonAsync(response);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);
        return ids;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
