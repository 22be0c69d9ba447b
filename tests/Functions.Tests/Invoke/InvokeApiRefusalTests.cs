using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Tests.Serve;
using Functions.Tools.Serve;

namespace Functions.Tests.Invoke;

/// <summary>
/// Lambda's Invoke API given what a careless or hostile caller sends: every refusal is Lambda's (status,
/// x-amzn-ErrorType, message), nothing a caller sends stops a function instance, and the in-flight bound holds. Real
/// sockets, the dummy function as a real process.
/// </summary>
public sealed class InvokeApiRefusalTests
{
    private const string LogContext = """{"action":"log-client-context"}""";

    [Theory]
    [InlineData("café")]
    [InlineData("line\r\nbreak")]
    [InlineData("nul\u0000byte")]
    [InlineData("bidi\u202Eoverride")]
    [InlineData("emoji 😀")]
    public async Task A_client_context_with_any_characters_reaches_the_function_as_the_same_JSON_and_the_instance_lives_on(string value)
    {
        // Arrange
        await using var api = await DummyApi.StartAsync();
        var context = JsonSerializer.Serialize(new { custom = new { k = value } });

        // Act
        using var first = await api.InvokeAsync("Dummy", """{"action":"env"}""", ("X-Amz-Client-Context", Base64(context)));
        var instances = api.Dummy.ProcessIds;
        using var second = await api.InvokeAsync("Dummy", """{"action":"env"}""");

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.Contains("X-Amz-Function-Error"), await first.Content.ReadAsStringAsync());
        var report = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        var received = JsonDocument.Parse(report.GetProperty("clientContext").GetString()!).RootElement;
        Assert.Equal(value, received.GetProperty("custom").GetProperty("k").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(second.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal(instances, api.Dummy.ProcessIds);
    }

    public static TheoryData<string, string> RefusedClientContexts => new()
    {
        { "not base64!", "base64" },
        { Base64("not json"), "not valid JSON" },
        { Base64("[1,2]"), "not an object" },
        { Convert.ToBase64String([(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}']), "not valid UTF-8" },
        { Base64("{\"custom\":{\"k\":\"" + new string('x', 2670) + "\"}}"), "at most 3583 bytes" },
        { Base64("{\"custom\":{\"k\":\"" + new string('x', 22_000) + "\"}}"), "at most 3583 bytes" },
    };

    [Theory]
    [MemberData(nameof(RefusedClientContexts))]
    public async Task A_client_context_Lambda_would_refuse_is_400_InvalidRequestContentException_and_nothing_runs(string header, string why)
    {
        await using var api = await DummyApi.StartAsync();

        using var response = await api.InvokeAsync("Dummy", LogContext, ("X-Amz-Client-Context", header));

        await AssertErrorAsync(response, 400, "InvalidRequestContentException", why);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_context_of_a_megabyte_is_refused_in_Lambdas_shape_not_bare()
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.InvokeClient.BaseAddress!,
            $"POST /2015-03-31/functions/Dummy/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n{DummyApi.SigV4Lines}X-Amz-Client-Context: {new string('A', 1_000_000)}\r\n", LogContext);

        Assert.Equal(431, answer.Status);
        Assert.Equal("InvalidRequestContentException", answer.Header("x-amzn-ErrorType"));
        Assert.Contains("headers are larger", JsonDocument.Parse(answer.Body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("[invoke] error: Refused before reading: 431", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_synchronous_invocation_carries_the_client_context_to_the_function()
    {
        await using var api = await DummyApi.StartAsync();
        var context = Base64("""{"custom":{"k":"v"}}""");

        using var sync = await api.InvokeAsync("Dummy", LogContext, ("X-Amz-Client-Context", context));
        using var asynchronous = await api.InvokeAsync("Dummy", LogContext, ("X-Amz-Client-Context", context), ("X-Amz-Invocation-Type", "Event"));

        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, asynchronous.StatusCode);
        await Eventually.WaitUntilAsync(() => api.Output.ToString().Contains("client context: (none)", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("client context: {\"custom\":{\"k\":\"v\"}}", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage:function:Dummy")]
    [InlineData("arn:aws:s3:::bucket:function:Dummy")]
    [InlineData("Dummy:$LATEST:function:Dummy")]
    [InlineData("%2544ummy")] // Decoded once, as Lambda does: "%44ummy", which no function name can be.
    [InlineData("Dum%20my")]
    [InlineData("Dummy:")]
    [InlineData("Dummyxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")] // 65 characters, bare.
    public async Task A_function_name_outside_Lambdas_pattern_is_400_ValidationException(string name)
    {
        await using var api = await DummyApi.StartAsync();

        using var response = await api.InvokeAsync(name, "{}");

        await AssertErrorAsync(response, 400, "ValidationException", "at 'functionName' failed to satisfy constraint");
    }

    [Theory]
    [InlineData("Dummy")]
    [InlineData("Dummy:$LATEST")]
    [InlineData("123456789012:function:Dummy")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:Dummy")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:Dummy:$LATEST")]
    [InlineData("Dummy?Qualifier=$LATEST")]
    public async Task Every_form_of_name_Lambda_takes_invokes_the_function(string name)
    {
        await using var api = await DummyApi.StartAsync();
        var (path, query) = name.Contains('?', StringComparison.Ordinal) ? (name.Split('?')[0], "?" + name.Split('?')[1]) : (name, "");

        using var response = await api.InvokeClient.PostAsync($"/2015-03-31/functions/{path}/invocations{query}", new StringContent("""{"action":"echo"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"action":"echo"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("dummy", "function:dummy")]
    [InlineData("Dummy:2", "function:Dummy:2")]
    [InlineData("arn:aws:lambda:eu-west-1:123456789012:function:Dummy", "eu-west-1:123456789012:function:Dummy")]
    [InlineData("999999999999:function:Dummy", "999999999999:function:Dummy")]
    public async Task A_name_of_no_local_function_is_404_ResourceNotFoundException_naming_its_ARN(string name, string arnTail)
    {
        await using var api = await DummyApi.StartAsync();

        using var response = await api.InvokeAsync(name, "{}");

        await AssertErrorAsync(response, 404, "ResourceNotFoundException", arnTail);
    }

    [Fact]
    public async Task A_qualifier_in_the_name_and_another_in_the_query_is_400()
    {
        await using var api = await DummyApi.StartAsync();

        using var response = await api.InvokeClient.PostAsync("/2015-03-31/functions/Dummy:$LATEST/invocations?Qualifier=2", new StringContent("{}"));

        await AssertErrorAsync(response, 400, "InvalidParameterValueException", "does not match the specified qualifier");
    }

    [Theory]
    [InlineData("POST", "/2015-03-31/FUNCTIONS/Dummy/invocations")]
    [InlineData("POST", "/invocations.json")]
    [InlineData("POST", "/2015-03-31/functions/Dummy/invocations/extra")]
    [InlineData("GET", "/2015-03-31/functions/Dummy/invocations")]
    public async Task Anything_but_POST_on_Invokes_exact_path_is_404_UnknownOperationException(string method, string path)
    {
        await using var api = await DummyApi.StartAsync();

        using var response = await api.InvokeClient.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await AssertErrorAsync(response, 404, "UnknownOperationException", "this endpoint serves Invoke");
    }

    [Theory]
    [InlineData("POST /2015-03-31/functions/Dummy%00/invocations HTTP/1.1", 400)]
    [InlineData("POST /2015-03-31/functions/{long}/invocations HTTP/1.1", 414)]
    [InlineData("POST /2015-03-31/functions/Dummy/invocations HTTP/1.1\r\nNo colon here", 400)]
    [InlineData("POST /2015-03-31/functions/Dummy/invocations HTTP/9.9", 400)] // Kestrel's 505 is the caller's fault too.
    public async Task What_Kestrel_refuses_before_the_API_reads_it_still_answers_in_Lambdas_shape(string line, int status)
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.InvokeClient.BaseAddress!, line.Replace("{long}", new string('D', 9000), StringComparison.Ordinal) + "\r\nHost: 127.0.0.1\r\n", "{}");

        Assert.Equal(status, answer.Status);
        Assert.Equal("InvalidRequestContentException", answer.Header("x-amzn-ErrorType"));
        Assert.Equal("application/json", answer.Header("Content-Type"));
        Assert.Equal("User", JsonDocument.Parse(answer.Body).RootElement.GetProperty("Type").GetString());
    }

    [Theory]
    [InlineData("X-Amz-Log-Type", "Verbose", "logType")]
    [InlineData("X-Amz-Invocation-Type", "Async", "invocationType")]
    public async Task A_header_value_outside_Lambdas_enum_is_400_ValidationException(string header, string value, string parameter)
    {
        await using var api = await DummyApi.StartAsync();

        using var response = await api.InvokeAsync("Dummy", "{}", (header, value));

        await AssertErrorAsync(response, 400, "ValidationException", $"at '{parameter}' failed to satisfy constraint: Member must satisfy enum value set");
    }

    [Fact]
    public async Task An_invocation_type_given_twice_is_refused_not_chosen()
    {
        await using var api = await DummyApi.StartAsync();

        var answer = await RawHttp.SendAsync(api.InvokeClient.BaseAddress!,
            $"POST /2015-03-31/functions/Dummy/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n{DummyApi.SigV4Lines}X-Amz-Invocation-Type: Event\r\nX-Amz-Invocation-Type: RequestResponse\r\n", LogContext);

        Assert.Equal(400, answer.Status);
        Assert.Equal("ValidationException", answer.Header("x-amzn-ErrorType"));
        Assert.Contains("given 2 times", JsonDocument.Parse(answer.Body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_that_is_not_UTF_8_is_400_InvalidRequestContentException()
    {
        await using var api = await DummyApi.StartAsync();

        using var response = await api.InvokeClient.PostAsync("/2015-03-31/functions/Dummy/invocations", new ByteArrayContent([(byte)'"', 0xC3, 0x28, (byte)'"']));

        await AssertErrorAsync(response, 400, "InvalidRequestContentException", "Could not parse request body into json: the payload is not valid UTF-8");
    }

    [Fact]
    public async Task Past_the_in_flight_bytes_an_invoke_is_429_TooManyRequestsException_and_the_bound_is_the_gateways()
    {
        // Arrange: room for one event at Lambda's limit; a sleeping invocation holds it.
        await using var api = await DummyApi.StartAsync(limits: new InFlightLimits(1000, 8L * 1024 * 1024));
        var pad = new string('x', 6_000_000);
        var holding = api.InvokeAsync("Slow", $$"""{"action":"sleep","ms":3000,"pad":"{{pad}}"}""");
        await Eventually.WaitUntilAsync(() => api.Output.ToString().Contains("START RequestId", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        // Act: another large invoke, and a large request through the gateway, while the first holds the bytes.
        using var refused = await api.InvokeAsync("Dummy", $$"""{"action":"echo","pad":"{{pad}}"}""");
        using var gateway = await api.PostAsync("/dummy", $$"""{"action":"echo","pad":"{{pad}}"}""");
        using var held = await holding;
        using var afterwards = await api.InvokeAsync("Dummy", $$"""{"action":"echo","pad":"{{pad}}"}""");

        // Assert
        await AssertErrorAsync(refused, 429, "TooManyRequestsException", "Rate Exceeded.");
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gateway.StatusCode);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string type, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(type, response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        Assert.Contains(message, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
