using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Serve;

/// <summary>
/// serve's function URLs, each under its function's name on a port of their own: a streaming URL passes on the
/// prelude's status, headers and cookies and each write as the function makes it, cuts the response off when the
/// function fails mid-stream or passes Lambda's 200 MB, paces a stream as Lambda does when asked, an AWS_IAM URL takes
/// signed requests only, and a buffered URL answers as HTTP API maps a result. The dummy function as a real process; a real HTTP client.
/// </summary>
public sealed class FunctionUrlTests
{
    [Fact]
    public async Task A_streaming_URL_answers_the_prelude_s_status_headers_and_cookies_then_each_line_as_the_function_writes_it()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        // Three lines 600 ms apart (Dummy's timeout is 2 s).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Dummy/export") { Content = new StringContent("""{"action":"stream","http":true,"lines":3,"pauseMs":600}""") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var body = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await body.ReadLineAsync();
        var afterFirst = Stopwatch.StartNew();
        var rest = await body.ReadToEndAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("lines", response.Headers.GetValues("x-export").Single());
        Assert.Equal("export=1; Secure", response.Headers.GetValues("Set-Cookie").Single());
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("{\"line\":1}", first);
        Assert.Equal("{\"line\":2}\n{\"line\":3}\n", rest);
        // The first line was in the client's hands while the function still had two pauses to go.
        Assert.True(afterFirst.ElapsedMilliseconds > 800, $"the rest came {afterFirst.ElapsedMilliseconds} ms after the first line");
    }

    [Fact]
    public async Task A_function_that_fails_mid_stream_has_the_response_cut_off_after_what_it_wrote()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/Dummy/") { Content = new StringContent("""{"action":"stream","http":true,"lines":2,"thenThrow":true}""") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var cut = await Record.ExceptionAsync(() => stream.CopyToAsync(received));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("{\"line\":1}\n{\"line\":2}\n", Encoding.UTF8.GetString(received.ToArray()));
        Assert.IsAssignableFrom<IOException>(cut);
        await Eventually.WaitUntilAsync(() => api.Output.ToString().Contains("failed mid-stream (Runtime.InvalidOperationException): the response is cut off", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_stream_past_Lambda_s_200_MB_reaches_the_client_up_to_the_limit_and_is_cut_off_there()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress, Timeout = TimeSpan.FromMinutes(2) };

        // 201 lines of 1 MiB: one past the limit.
        var response = await client.SendAsync(Signed(HttpMethod.Post, "/Slow/", """{"action":"stream","http":true,"lines":201,"lineBytes":1048576}"""), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var (received, cut) = (0L, (Exception?)null);
        var buffer = new byte[64 * 1024];
        try
        {
            for (int read; (read = await stream.ReadAsync(buffer)) > 0;)
            {
                received += read;
            }
        }
        catch (IOException e)
        {
            cut = e;
        }

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(cut);
        // The limit counts the whole stream, the prelude too: the body is a little under 200 MiB.
        Assert.InRange(received, RuntimeApiServer.MaxStreamedBytes - 1024, RuntimeApiServer.MaxStreamedBytes - 1);
        await Eventually.WaitUntilAsync(() => api.Output.ToString().Contains("failed mid-stream (Function.ResponseSizeTooLarge)", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Under_Lambda_s_bandwidth_a_stream_past_the_burst_reaches_the_client_no_faster_than_the_rate()
    {
        // Lambda's shape made small: 64 KiB at once, then 256 KiB a second.
        await using var api = await DummyApi.StartAsync(bandwidth: new StreamBandwidth(64 * 1024, 256 * 1024));
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(Signed(HttpMethod.Post, "/Slow/", """{"action":"stream","http":true,"lines":6,"lineBytes":65536}"""));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(6 * 65536, body.Length);
        // 320 KiB past the burst at 256 KiB a second: at least 1.25 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.2), $"the stream took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task An_AWS_IAM_URL_refuses_an_unsigned_request_with_403_and_answers_a_signed_one()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };
        const string Event = """{"action":"stream","http":true,"lines":1}""";

        using var unsigned = await client.PostAsync("/Slow/", new StringContent(Event));
        using var signed = await client.SendAsync(Signed(HttpMethod.Post, "/Slow/", Event));

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Contains("not signed with SigV4", api.Output.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        Assert.Equal("{\"line\":1}\n", await signed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_buffered_URL_sends_the_function_the_path_after_its_name_as_routeKey_default_and_maps_its_answer()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        using var response = await client.PostAsync("/Echo/orders/7?full=1", new StringContent("""{"action":"echo"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("$default", seen.RootElement.GetProperty("routeKey").GetString());
        Assert.Equal("/orders/7", seen.RootElement.GetProperty("rawPath").GetString());
        Assert.Equal("full=1", seen.RootElement.GetProperty("rawQueryString").GetString());
        Assert.Equal("/orders/7", seen.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
        Assert.False(seen.RootElement.GetProperty("requestContext").TryGetProperty("authorizer", out _)); // An open URL vouches for no one.
    }

    [Fact]
    public async Task An_AWS_IAM_URL_tells_the_function_the_access_key_that_signed_the_request()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };
        using var request = Signed(HttpMethod.Post, "/Slow/", """{"action":"echo"}""");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var iam = seen.RootElement.GetProperty("requestContext").GetProperty("authorizer").GetProperty("iam");
        Assert.Equal("local", iam.GetProperty("accessKey").GetString()); // DummyApi signs as Credential=local/...
        Assert.Equal("arn:aws:iam::123456789012:user/local", iam.GetProperty("userArn").GetString());
        Assert.Equal(JsonValueKind.Null, iam.GetProperty("cognitoIdentity").ValueKind);
    }

    [Fact]
    public async Task A_URL_with_CORS_answers_a_preflight_itself_and_grants_its_origin_on_buffered_and_streamed_answers()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        using var preflighted = await client.SendAsync(Preflight("/Echo/", "https://shop.example"));
        using var buffered = await client.SendAsync(FromOrigin("/Echo/", "https://shop.example", """{"action":"echo"}"""));
        using var streamed = await client.SendAsync(FromOrigin("/Dummy/", "https://shop.example", """{"action":"stream","http":true,"lines":1}"""));
        using var foreign = await client.SendAsync(FromOrigin("/Echo/", "https://evil.example", """{"action":"echo"}"""));

        Assert.Equal(HttpStatusCode.NoContent, preflighted.StatusCode);
        Assert.Equal("https://shop.example", preflighted.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("POST", preflighted.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("600", preflighted.Headers.GetValues("Access-Control-Max-Age").Single());
        // Answered with no instance, cold or warm: no function ran for it.
        Assert.Matches(@"OPTIONS /Echo/ 204 [0-9.]+ ms -\n", api.Output.ToString());
        Assert.Equal(HttpStatusCode.OK, buffered.StatusCode);
        Assert.Equal("https://shop.example", buffered.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.Created, streamed.StatusCode);
        Assert.Equal("https://shop.example", streamed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("x-export", streamed.Headers.GetValues("Access-Control-Expose-Headers").Single());
        Assert.Equal("{\"line\":1}\n", await streamed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, foreign.StatusCode);
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_URL_without_CORS_grants_no_origin_and_answers_no_preflight_for_itself()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        using var preflighted = await client.SendAsync(Preflight("/Slow/", "https://shop.example"));
        var signed = Signed(HttpMethod.Post, "/Slow/", """{"action":"stream","http":true,"lines":1}""");
        signed.Headers.Add("Origin", "https://shop.example");
        using var answered = await client.SendAsync(signed);

        // An unsigned OPTIONS to an AWS_IAM URL is refused like any unsigned request.
        Assert.Equal(HttpStatusCode.Forbidden, preflighted.StatusCode);
        Assert.False(preflighted.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        Assert.False(answered.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_path_that_names_no_function_is_404_and_the_log_lists_the_URLs()
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        using var response = await client.GetAsync("/Nope/x");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("the path starts with no function's name: /Dummy/, /Echo/, /Slow/", api.Output.ToString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Signed(HttpMethod method, string path, string body)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(body) };
        foreach (var (name, value) in DummyApi.SigV4Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    /// <summary>A browser's preflight for a POST from <paramref name="origin"/>.</summary>
    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        return request;
    }

    private static HttpRequestMessage FromOrigin(string path, string origin, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Headers.Add("Origin", origin);
        return request;
    }
}
