using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Tests.Serve;

namespace Functions.Tests.Invoke;

/// <summary>
/// serve's Invoke API serves what AWS's SDKs and CLI send (a SigV4 Authorization header, to this machine's address) and
/// nothing a web page can make a browser send: a cross-site POST, a request under a DNS name that leads here, a
/// signature in the query string. Refused requests run nothing. (InvokeApiTests drive it with AWS's SDK for JavaScript,
/// which signs as it always does.)
/// </summary>
public sealed class InvokeApiCallerTests
{
    private const string Echo = """{"action":"echo"}""";
    private const string InvocationsOfDummy = "/2015-03-31/functions/Dummy/invocations";

    [Fact]
    public async Task A_cross_site_text_post_as_any_web_page_can_send_it_is_403_and_runs_nothing()
    {
        await using var api = await DummyApi.StartAsync();
        using var page = new HttpClient { BaseAddress = api.InvokeClient.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, InvocationsOfDummy)
        {
            Content = new StringContent(Echo, Encoding.UTF8, "text/plain"),
            Headers = { { "Origin", "https://evil.example" } },
        };

        using var response = await page.SendAsync(request);

        await AssertRefusedAsync(api, response, 403, "AccessDeniedException", "web origin https://evil.example is refused");
    }

    [Fact]
    public async Task A_request_without_a_signature_is_403_MissingAuthenticationTokenException_and_says_any_credentials_sign()
    {
        await using var api = await DummyApi.StartAsync();
        using var unsigned = new HttpClient { BaseAddress = api.InvokeClient.BaseAddress };

        using var response = await unsigned.PostAsync(InvocationsOfDummy, new StringContent(Echo));

        await AssertRefusedAsync(api, response, 403, "MissingAuthenticationTokenException", "any credentials will do");
    }

    [Fact]
    public async Task A_signature_in_the_query_string_which_a_page_can_write_is_not_taken()
    {
        await using var api = await DummyApi.StartAsync();
        using var page = new HttpClient { BaseAddress = api.InvokeClient.BaseAddress };

        using var response = await page.PostAsync(
            $"{InvocationsOfDummy}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=local%2F20261205%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Date=20261205T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature={new string('0', 64)}",
            new StringContent(Echo));

        await AssertRefusedAsync(api, response, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=local/20261205/us-east-1/lambda/aws4_request", "20261205T120000Z", "requires 'SignedHeaders', 'Signature' parameters")]
    [InlineData("AWS4-HMAC-SHA256 Credential=local/20261205/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00", null, "either a 'X-Amz-Date' or a 'Date' header")]
    public async Task An_incomplete_signature_is_400_IncompleteSignatureException(string authorization, string? amzDate, string message)
    {
        await using var api = await DummyApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.InvokeClient.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, InvocationsOfDummy) { Content = new StringContent(Echo) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (amzDate is not null)
        {
            request.Headers.Add("X-Amz-Date", amzDate);
        }

        using var response = await client.SendAsync(request);

        await AssertRefusedAsync(api, response, 400, "IncompleteSignatureException", message);
    }

    [Fact]
    public async Task A_signed_request_under_a_DNS_name_that_leads_here_is_403_as_DNS_rebinding_would_send_it()
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.InvokeClient.BaseAddress!,
            $"POST {InvocationsOfDummy} HTTP/1.1\r\nHost: rebound.evil.example:{api.InvokeClient.BaseAddress!.Port}\r\n{DummyApi.SigV4Lines}", Echo);

        Assert.Equal(403, answer.Status);
        Assert.Equal("AccessDeniedException", answer.Header("x-amzn-ErrorType"));
        Assert.Contains("Host rebound.evil.example is refused", JsonDocument.Parse(answer.Body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", null)]
    [InlineData("localhost", null)]
    [InlineData("api.localhost", null)]
    [InlineData("[::1]", null)]
    [InlineData("127.0.0.1", "http://127.0.0.1:{port}")]
    public async Task A_signed_request_to_this_machine_s_address_from_no_page_or_its_own_origin_runs_the_function(string host, string? origin)
    {
        await using var api = await DummyApi.StartAsync();
        var port = api.InvokeClient.BaseAddress!.Port;
        var originLine = origin is null ? "" : $"Origin: {origin.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)}\r\n";

        var answer = await RawHttp.SendAsync(api.InvokeClient.BaseAddress!,
            $"POST {InvocationsOfDummy} HTTP/1.1\r\nHost: {host}:{port}\r\n{originLine}{DummyApi.SigV4Lines}", Echo);

        Assert.True(answer.Status == 200, answer.Body);
        Assert.Contains(Echo, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preflight_gets_no_CORS_grant_so_no_page_can_send_a_signature()
    {
        await using var api = await DummyApi.StartAsync();
        using var browser = new HttpClient { BaseAddress = api.InvokeClient.BaseAddress };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, InvocationsOfDummy)
        {
            Headers =
            {
                { "Origin", "https://evil.example" },
                { "Access-Control-Request-Method", "POST" },
                { "Access-Control-Request-Headers", "authorization,x-amz-date" },
            },
        };

        using var response = await browser.SendAsync(preflight);

        Assert.False(response.IsSuccessStatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Headers"));
    }

    private static async Task AssertRefusedAsync(DummyApi api, HttpResponseMessage response, int status, string type, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(type, response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains(message, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.InvokeClient.PostAsync(InvocationsOfDummy, new StringContent(Echo))).StatusCode);
    }
}
