using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Functions.Runtime;
using Functions.Tests.Runtime;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.RuntimeApi;

/// <summary>The emulator's Runtime API 2018-06-01 over plain HTTP: status codes and bodies a runtime relies on.</summary>
public sealed class RuntimeApiContractTests : IAsyncLifetime
{
    /// <summary>Bounds every request: the emulator answers at once when an event is queued.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string Channel = "contract-1";

    private RuntimeApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await RuntimeApiServer.StartAsync().WaitAsync(Timeout);
        _http = new HttpClient { BaseAddress = new Uri($"http://{_server.HostAndPort}/") };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Next_hands_out_the_event_with_Lambda_headers()
    {
        // Arrange
        var invocation = Payloads.Invocation(Payloads.Json("""{"a":1}"""), TimeSpan.FromSeconds(30));
        _server.Channel(Channel).Enqueue(invocation);

        // Act
        using var next = await _http.GetAsync(Root(Channel) + "invocation/next").WaitAsync(Timeout);

        // Assert
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(invocation.RequestId, Header(next, RuntimeApiHeaders.RequestId));
        Assert.Equal(Payloads.FunctionArn, Header(next, RuntimeApiHeaders.InvokedFunctionArn));
        Assert.Equal(Payloads.TraceId, Header(next, RuntimeApiHeaders.TraceId));
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Header(next, RuntimeApiHeaders.DeadlineMs)!, CultureInfo.InvariantCulture));
        Assert.InRange(deadline - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.Equal("""{"a":1}""", await next.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(RuntimeApiServer.BareChannel)]
    [InlineData(Channel)]
    public async Task A_response_is_accepted_with_202_on_the_bare_and_the_prefixed_path(string channel)
    {
        // Arrange
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(channel);

        // Act
        using var answer = await PostAsync(channel, $"invocation/{requestId}/response", Payloads.Json("""{"ok":true}"""));

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("""{"status":"OK"}""", await answer.Content.ReadAsStringAsync());
        var outcome = await invocation.Outcome.WaitAsync(Timeout);
        Assert.True(outcome.IsSuccess);
        Assert.Equal("""{"ok":true}""", Encoding.UTF8.GetString(outcome.Payload));
    }

    [Fact]
    public async Task An_error_is_accepted_with_202_and_keeps_its_error_type()
    {
        // Arrange
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(Channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(Channel);
        const string Error = """{"errorMessage":"no","errorType":"KeyNotFoundException","stackTrace":[]}""";

        // Act
        using var answer = await PostAsync(Channel, $"invocation/{requestId}/error", Payloads.Json(Error), "Runtime.KeyNotFoundException");

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("""{"status":"OK"}""", await answer.Content.ReadAsStringAsync());
        var outcome = await invocation.Outcome.WaitAsync(Timeout);
        Assert.Equal(InvocationStatus.FunctionError, outcome.Status);
        Assert.Equal("Runtime.KeyNotFoundException", outcome.ErrorType);
        Assert.Equal(Error, Encoding.UTF8.GetString(outcome.Payload));
    }

    [Fact]
    public async Task An_init_error_is_accepted_with_202_and_reaches_the_channel()
    {
        // Arrange
        var channel = _server.Channel(Channel);

        // Act
        using var answer = await PostAsync(Channel, "init/error", Payloads.Json("""{"errorMessage":"no table","errorType":"InitializationException"}"""), "Runtime.InitializationException");

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("""{"status":"OK"}""", await answer.Content.ReadAsStringAsync());
        var initError = await channel.InitError.WaitAsync(Timeout);
        Assert.Equal("Runtime.InitializationException", initError.ErrorType);
    }

    [Theory]
    [InlineData("response")]
    [InlineData("error")]
    public async Task An_unknown_request_id_gets_400(string endpoint)
    {
        // Act
        using var answer = await PostAsync(Channel, $"invocation/{Guid.NewGuid()}/{endpoint}", Payloads.Json("{}"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("InvalidRequestID", await ErrorTypeOfAsync(answer));
    }

    [Theory]
    [InlineData("response")]
    [InlineData("error")]
    public async Task A_second_answer_to_one_invocation_gets_403(string endpoint)
    {
        // Arrange
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(Channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(Channel);
        using var first = await PostAsync(Channel, $"invocation/{requestId}/response", Payloads.Json("""{"first":true}"""));

        // Act
        using var second = await PostAsync(Channel, $"invocation/{requestId}/{endpoint}", Payloads.Json("""{"second":true}"""));

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal("InvalidStateTransition", await ErrorTypeOfAsync(second));
        Assert.Equal("""{"first":true}""", Encoding.UTF8.GetString((await invocation.Outcome.WaitAsync(Timeout)).Payload));
    }

    [Fact]
    public async Task A_response_of_six_megabytes_is_accepted()
    {
        // Arrange
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(Channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(Channel);

        // Act
        using var answer = await PostAsync(Channel, $"invocation/{requestId}/response", Payloads.JsonString(RuntimeApiServer.MaxPayloadBytes));

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(RuntimeApiServer.MaxPayloadBytes, (await invocation.Outcome.WaitAsync(Timeout)).Payload.Length);
    }

    [Fact]
    public async Task A_response_beyond_six_megabytes_gets_413_and_fails_the_invocation()
    {
        // Arrange
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(Channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(Channel);

        // Act
        using var answer = await PostAsync(Channel, $"invocation/{requestId}/response", Payloads.JsonString(RuntimeApiServer.MaxPayloadBytes + 1));

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        Assert.Equal("RequestEntityTooLarge", await ErrorTypeOfAsync(answer));
        var outcome = await invocation.Outcome.WaitAsync(Timeout);
        Assert.Equal("Function.ResponseSizeTooLarge", outcome.ErrorType);
    }

    [Fact]
    public async Task A_streamed_response_from_any_runtime_is_accepted_with_202_as_the_invocation_s_payload()
    {
        // Arrange: a runtime that is not ours, writing the Runtime API's streaming mode byte for byte.
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(Channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(Channel);

        // Act
        var answer = await RawHttp.SendWholeAsync(new Uri($"http://{_server.HostAndPort}"),
            $"POST /{Root(Channel)}invocation/{requestId}/response HTTP/1.1\r\nHost: {_server.HostAndPort}\r\n"
            + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n"
            + "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\nConnection: close\r\n\r\n"
            + "6\r\nhello \r\n6\r\nworld\n\r\n0\r\n\r\n");

        // Assert
        Assert.Equal(202, answer.Status);
        var outcome = await invocation.Outcome.WaitAsync(Timeout);
        Assert.True(outcome.IsSuccess);
        Assert.Equal("hello world\n", Encoding.UTF8.GetString(outcome.Payload));
    }

    [Fact]
    public async Task A_streamed_response_ending_in_error_trailers_fails_the_invocation_with_their_type_and_report()
    {
        // Arrange
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(Channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(Channel);
        var report = Convert.ToBase64String("""{"errorMessage":"disk full","errorType":"IOException","stackTrace":[]}"""u8);

        // Act
        var answer = await RawHttp.SendWholeAsync(new Uri($"http://{_server.HostAndPort}"),
            $"POST /{Root(Channel)}invocation/{requestId}/response HTTP/1.1\r\nHost: {_server.HostAndPort}\r\n"
            + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "7\r\npartial\r\n0\r\n"
            + $"Lambda-Runtime-Function-Error-Type: Runtime.IOException\r\nLambda-Runtime-Function-Error-Body: {report}\r\n\r\n");

        // Assert
        Assert.Equal(202, answer.Status);
        var outcome = await invocation.Outcome.WaitAsync(Timeout);
        Assert.Equal("Runtime.IOException", outcome.ErrorType);
        Assert.Equal("disk full", JsonDocument.Parse(outcome.Payload).RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_next_whose_runtime_left_before_an_event_came_takes_none()
    {
        // Arrange: a runtime asks for an event and goes away while none is queued.
        using (var leaving = new HttpClient { BaseAddress = _http.BaseAddress })
        using (var asking = new CancellationTokenSource())
        {
            var next = leaving.GetAsync(Root(Channel) + "invocation/next", asking.Token);
            await Task.Delay(200);
            await asking.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        }
        await Task.Delay(200);

        // Act
        var invocation = Payloads.Invocation(Payloads.Json("{}"));
        _server.Channel(Channel).Enqueue(invocation);
        var requestId = await TakeNextAsync(Channel);

        // Assert: the event went to the runtime still asking, not to the one that left.
        Assert.Equal(invocation.RequestId, requestId);
    }

    [Theory]
    [InlineData("GET", "2018-06-01/runtime/invocation/nxt", 404)]
    [InlineData("GET", "2018-06-01/elsewhere", 404)]
    [InlineData("POST", "2018-06-01/runtime/invocation/next", 405)]
    [InlineData("GET", "2018-06-01/runtime/init/error", 405)]
    [InlineData("GET", "2018-06-01/runtime/invocation/abc/response", 405)]
    public async Task A_path_or_method_outside_the_Runtime_API_is_refused_with_a_reason(string method, string path, int status)
    {
        // Act
        using var answer = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)).WaitAsync(Timeout);

        // Assert
        Assert.Equal(status, (int)answer.StatusCode);
        Assert.Equal(status == 404 ? "NotFound" : "MethodNotAllowed", await ErrorTypeOfAsync(answer));
    }

    private static string Root(string channel) =>
        channel == RuntimeApiServer.BareChannel ? "2018-06-01/runtime/" : $"{Uri.EscapeDataString(channel)}/2018-06-01/runtime/";

    private async Task<string> TakeNextAsync(string channel)
    {
        using var next = await _http.GetAsync(Root(channel) + "invocation/next").WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        return Header(next, RuntimeApiHeaders.RequestId)!;
    }

    private async Task<HttpResponseMessage> PostAsync(string channel, string path, byte[] body, string? errorType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Root(channel) + path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (errorType is not null)
        {
            request.Headers.Add(RuntimeApiHeaders.FunctionErrorType, errorType);
        }
        return await _http.SendAsync(request).WaitAsync(Timeout);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private static async Task<string?> ErrorTypeOfAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("errorType").GetString();
    }
}
