using Functions.Tools.Hosting;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Errors;
using Functions.Http;
using Functions.Json;
using Functions.Logging;
using Functions.Runtime;

namespace Functions.Tests.Http;

public sealed class HttpFunctionTests
{
    private const string RequestId = "8f6c2d1e-3b4a-4c5d-9e8f-7a6b5c4d3e2f";

    /// <summary>Bounds every invocation here: the handlers under test either answer at once or within a deadline.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly StringWriter _log = new();

    [Fact]
    public async Task A_handler_answer_is_the_response_payload()
    {
        // Arrange
        var function = new HttpFunction((_, _) => Task.FromResult(Results.Ok(new MessageBody("hello"), FunctionsJson.Wire.MessageBody)));

        // Act
        var response = await InvokeAsync(function, Event());

        // Assert
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.Headers!["content-type"]);
        Assert.Equal("""{"message":"hello"}""", response.Body);
    }

    [Fact]
    public async Task The_handler_gets_the_event_as_sent()
    {
        HttpApiRequest? seen = null;
        var function = new HttpFunction((request, _) =>
        {
            seen = request;
            return Task.FromResult(Results.NoContent());
        });

        var response = await InvokeAsync(function, Event());

        Assert.Equal(204, response.StatusCode);
        Assert.Equal("GET /hello", seen!.RouteKey);
        Assert.Equal("curl/8.5.0", seen.Header("user-agent"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(412)]
    [InlineData(413)]
    [InlineData(415)]
    public async Task An_ApiError_becomes_a_problem_with_its_status(int status)
    {
        var error = status switch
        {
            400 => ApiError.Invalid("price", "must be zero or more"),
            403 => ApiError.Forbidden("The token's sub holds U+0000 (a control character)."),
            404 => ApiError.NotFound("There is no item with the id 'x'."),
            412 => ApiError.PreconditionFailed("stale"),
            413 => ApiError.PayloadTooLarge("too big"),
            _ => ApiError.UnsupportedMediaType("send application/json"),
        };
        var function = new HttpFunction((_, _) => throw error);

        var response = await InvokeAsync(function, Event());

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Headers!["content-type"]);
        var problem = JsonNode.Parse(response.Body!)!.AsObject();
        Assert.Equal("about:blank", (string?)problem["type"]);
        Assert.Equal(Problem.TitleOf(status), (string?)problem["title"]);
        Assert.Equal(status, (int?)problem["status"]);
        Assert.Equal(error.Message, (string?)problem["detail"]);
        Assert.Equal(RequestId, (string?)problem["instance"]);
    }

    [Fact]
    public async Task A_validation_problem_names_each_field_in_errors()
    {
        var function = new HttpFunction((_, _) => throw ApiError.BadRequest("two fields are wrong", new Dictionary<string, string[]>
        {
            ["name"] = ["is required"],
            ["price"] = ["must be a number"],
        }));

        var response = await InvokeAsync(function, Event());

        var errors = JsonNode.Parse(response.Body!)!["errors"]!.AsObject();
        Assert.Equal("is required", (string?)errors["name"]![0]);
        Assert.Equal("must be a number", (string?)errors["price"]![0]);
    }

    [Fact]
    public async Task A_problem_without_field_errors_leaves_errors_out()
    {
        var function = new HttpFunction((_, _) => throw ApiError.NotFound("gone"));

        var response = await InvokeAsync(function, Event());

        Assert.False(JsonNode.Parse(response.Body!)!.AsObject().ContainsKey("errors"));
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_without_its_message_or_stack_trace()
    {
        // Arrange: a real stack trace, with a message that must stay ours.
        var function = new HttpFunction(async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("password=hunter2 for db.internal");
        });

        // Act
        var response = await InvokeAsync(function, Event());

        // Assert
        Assert.Equal(500, response.StatusCode);
        Assert.Equal("application/problem+json", response.Headers!["content-type"]);
        var problem = JsonNode.Parse(response.Body!)!.AsObject();
        Assert.Equal(500, (int?)problem["status"]);
        Assert.Equal("Internal Server Error", (string?)problem["title"]);
        Assert.Equal(RequestId, (string?)problem["instance"]);
        Assert.DoesNotContain("hunter2", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(HttpFunctionTests), response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_exception_is_logged_in_full_with_the_request_id()
    {
        var function = new HttpFunction((_, _) => throw new InvalidOperationException("the real cause"));

        await InvokeAsync(function, Event());

        var line = Assert.Single(_log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var fields = line.Split('\t');
        Assert.Equal(RequestId, fields[1]);
        Assert.Equal("ERROR", fields[2]);
        Assert.Contains("InvalidOperationException: the real cause", fields[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_cut_off_by_the_deadline_is_a_503()
    {
        // Arrange: the token fires a fifth of 200 ms before the deadline; the handler waits on it like an SDK call.
        var function = new HttpFunction(async (_, context) =>
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, context.CancellationToken);
            return Results.NoContent();
        });

        // Act
        var response = await InvokeAsync(function, Event(), deadline: DateTimeOffset.UtcNow.AddMilliseconds(200));

        // Assert
        Assert.Equal(503, response.StatusCode);
        var problem = JsonNode.Parse(response.Body!)!.AsObject();
        Assert.Equal("Service Unavailable", (string?)problem["title"]);
        Assert.Equal(RequestId, (string?)problem["instance"]);
        Assert.Contains("\tWARN\t", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancellation_wrapped_by_a_client_library_after_the_deadline_is_a_503()
    {
        var function = new HttpFunction(async (_, context) =>
        {
            try
            {
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, context.CancellationToken);
            }
            catch (OperationCanceledException e)
            {
                throw new HttpRequestException("The request was canceled.", e);
            }
            return Results.NoContent();
        });

        var response = await InvokeAsync(function, Event(), deadline: DateTimeOffset.UtcNow.AddMilliseconds(200));

        Assert.Equal(503, response.StatusCode);
    }

    [Fact]
    public async Task A_service_that_refuses_the_connection_is_a_503_to_retry_not_our_bug()
    {
        // Arrange: a real connection to a loopback port nothing listens on, as a client meets a DynamoDB that is down.
        var closedPort = LoopbackPort.Free();
        var function = new HttpFunction(async (_, _) =>
        {
            using var client = new HttpClient();
            await client.GetAsync(new Uri($"http://127.0.0.1:{closedPort}/"));
            return Results.NoContent();
        });

        // Act
        var response = await InvokeAsync(function, Event());

        // Assert
        Assert.Equal(503, response.StatusCode);
        var problem = JsonNode.Parse(response.Body!)!.AsObject();
        Assert.Equal("A service this API depends on could not be reached; retry it.", (string?)problem["detail"]);
        Assert.Equal(RequestId, (string?)problem["instance"]);
        Assert.Contains("\tWARN\t", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancellation_before_the_deadline_is_our_bug_not_a_503()
    {
        var function = new HttpFunction((_, _) => throw new OperationCanceledException("someone else's token"));

        var response = await InvokeAsync(function, Event(), deadline: DateTimeOffset.UtcNow.AddMinutes(5));

        Assert.Equal(500, response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("\"GET /hello\"")]
    public async Task An_event_that_is_not_a_payload_2_0_request_is_an_invocation_error(string payload)
    {
        var called = false;
        var function = new HttpFunction((_, _) =>
        {
            called = true;
            return Task.FromResult(Results.NoContent());
        });
        using var context = Context(Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow.AddMinutes(1));

        var error = await Assert.ThrowsAsync<JsonException>(() => function.HandleAsync(Encoding.UTF8.GetBytes(payload), context).WaitAsync(Timeout));

        Assert.False(called);
        Assert.StartsWith("The event is ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an HTTP API payload 2.0 request", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Deserialize", error.Message, StringComparison.Ordinal);
    }

    private async Task<HttpApiResponse> InvokeAsync(HttpFunction function, byte[] payload, DateTimeOffset? deadline = null)
    {
        using var context = Context(payload, deadline ?? DateTimeOffset.UtcNow.AddMinutes(1));
        var response = await function.HandleAsync(payload, context).WaitAsync(Timeout);
        return JsonSerializer.Deserialize(response, FunctionsJson.Wire.HttpApiResponse)!;
    }

    private InvocationContext Context(byte[] payload, DateTimeOffset deadline)
    {
        var invocation = new Invocation(
            RequestId, deadline, "arn:aws:lambda:us-east-1:123456789012:function:Hello", TraceId: null, ClientContext: null,
            CognitoIdentity: null, payload);
        var environment = LambdaEnvironment.From(new Dictionary<string, string> { [LambdaEnvironment.FunctionName] = "Hello" });
        return new InvocationContext(invocation, environment, new LambdaLogger(_log, json: false, LogLevel.Info));
    }

    private static byte[] Event() => Encoding.UTF8.GetBytes("""
        {
          "version": "2.0",
          "routeKey": "GET /hello",
          "rawPath": "/hello",
          "rawQueryString": "",
          "headers": { "host": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", "user-agent": "curl/8.5.0" },
          "requestContext": {
            "accountId": "123456789012",
            "apiId": "a1b2c3d4e5",
            "http": { "method": "GET", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.10", "userAgent": "curl/8.5.0" },
            "requestId": "OWqNe1owDtKeFVk=",
            "routeKey": "GET /hello",
            "stage": "$default",
            "time": "21/Nov/2026:19:00:00 +0000",
            "timeEpoch": 1795287600000
          },
          "isBase64Encoded": false
        }
        """);
}
