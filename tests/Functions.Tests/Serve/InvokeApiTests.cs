using System.Text.Json;
using Functions.Tests.Cli;
using Functions.Tests.Functions;
using Functions.Tools;

namespace Functions.Tests.Serve;

/// <summary>
/// ./fn serve's Lambda Invoke API driven by AWS's SDK for JavaScript (npm @aws-sdk/client-lambda) with its endpoint
/// set to serve, as a user's code or `aws lambda invoke --endpoint-url` would. Real serve, real functions,
/// the real SDK parsing real answers.
/// </summary>
[Collection(BuiltFunctionsCollection.Name)]
public sealed class InvokeApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_SDK_invokes_a_function_by_name_and_gets_its_answer_and_log_tail()
    {
        await using var serve = await StartAsync();

        var result = Assert.Single(await InvokeAsync(serve, new { name = "Hello", logType = "Tail", payload = File.ReadAllText(HelloEvent) }));

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("functionError").ValueKind);
        Assert.Equal("$LATEST", result.GetProperty("version").GetString());
        Assert.Equal(200, JsonDocument.Parse(result.GetProperty("payload").GetString()!).RootElement.GetProperty("statusCode").GetInt32());
        var log = result.GetProperty("log").GetString()!;
        Assert.StartsWith("START RequestId: ", log, StringComparison.Ordinal);
        Assert.Contains("REPORT RequestId: ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_and_dry_run_answer_202_and_204_and_an_event_runs_in_the_background()
    {
        await using var serve = await StartAsync();

        var results = await InvokeAsync(serve,
            new { name = "Hello", type = "Event", payload = File.ReadAllText(HelloEvent) },
            new { name = "Hello", type = "DryRun", payload = "{}" });

        Assert.Equal(202, results[0].GetProperty("status").GetInt32());
        Assert.Equal(204, results[1].GetProperty("status").GetInt32());
        Assert.True(await serve.WaitForOutputAsync("INVOKE Hello 202", Patience), serve.Output);
        Assert.True(await serve.WaitForOutputAsync("[Hello] REPORT RequestId", Patience), serve.Output);
    }

    [Fact]
    public async Task A_function_error_is_200_with_X_Amz_Function_Error_and_Lambdas_error_body()
    {
        await using var serve = await StartAsync();

        // A JSON string is no HTTP API event: the toolkit fails the invocation, as a function on Lambda would.
        var result = Assert.Single(await InvokeAsync(serve, new { name = "Items.Get", payload = "\"not an event\"" }));

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("Unhandled", result.GetProperty("functionError").GetString());
        var error = JsonDocument.Parse(result.GetProperty("payload").GetString()!).RootElement;
        Assert.True(error.TryGetProperty("errorType", out _), error.ToString());
        Assert.True(error.TryGetProperty("errorMessage", out _), error.ToString());
    }

    [Fact]
    public async Task Lambdas_errors_reach_the_SDK_as_its_own_exceptions()
    {
        await using var serve = await StartAsync();

        var results = await InvokeAsync(serve,
            new { name = "NoSuchFunction", payload = "{}" },
            new { name = "Hello", payload = "{not json" },
            new { name = "Hello", payload = $$"""{"pad":"{{new string('x', 6_300_000)}}"}""" },
            new { name = "arn:aws:lambda:us-east-1:123456789012:function:Hello", type = "DryRun", payload = "{}" },
            new { name = "garbage:function:Hello", payload = "{}" },
            new { name = "Hello", clientContext = "not JSON", payload = "{}" });

        AssertError(results[0], "ResourceNotFoundException", 404, "Function not found: arn:aws:lambda:us-east-1:123456789012:function:NoSuchFunction");
        AssertError(results[1], "InvalidRequestContentException", 400, "Could not parse request body into json");
        AssertError(results[2], "RequestEntityTooLargeException", 413, "Request must be smaller than 6291456 bytes for the InvokeFunction operation");
        Assert.Equal(204, results[3].GetProperty("status").GetInt32());
        AssertError(results[4], "ValidationException", 400, "at 'functionName' failed to satisfy constraint");
        AssertError(results[5], "InvalidRequestContentException", 400, "Client context is not valid JSON");
    }

    [Fact]
    public async Task A_client_context_in_any_language_reaches_the_function_and_its_instance_stays()
    {
        await using var serve = await StartAsync();

        var results = await InvokeAsync(serve,
            new { name = "Hello", clientContext = """{"custom":{"city":"Zürich","note":"line\r\nbreak"}}""", payload = File.ReadAllText(HelloEvent) },
            new { name = "Hello", payload = File.ReadAllText(HelloEvent) });

        Assert.All(results, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        Assert.All(results, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("functionError").ValueKind));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(serve.Output, "Init Duration"));
    }

    private static string HelloEvent => Path.Combine(Repository.Locate().Root, "events", "hello.json");

    private static void AssertError(JsonElement result, string name, int status, string message)
    {
        var error = result.GetProperty("error");
        Assert.Equal(name, error.GetProperty("name").GetString());
        Assert.Equal(status, error.GetProperty("status").GetInt32());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<FnProcess> StartAsync()
    {
        var serve = await FnProcess.StartAsync("--in-memory");
        Assert.True(await serve.WaitForOutputAsync("Ctrl-C stops.", Patience), serve.Output);
        return serve;
    }

    /// <summary>AWS's SDK in node against serve's Invoke API; its results, one per call.</summary>
    private static Task<List<JsonElement>> InvokeAsync(FnProcess serve, params object[] calls) => SdkInvoke.RunAsync(serve.InvokeAddress!, calls);
}
