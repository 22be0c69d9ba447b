using System.Text.Json;
using Functions.Tests.Serve;

namespace Functions.Tests.Invoke;

/// <summary>
/// serve's InvokeWithResponseStream driven by AWS's SDK for JavaScript (InvokeWithResponseStreamCommand, which checks
/// every event's CRCs): the function's stream reaches the SDK as PayloadChunk events while the function still writes,
/// and one InvokeComplete ends it, naming the error of a function that failed mid-stream. The dummy function as a real
/// process on the real Runtime API.
/// </summary>
public sealed class InvokeWithResponseStreamTests
{
    [Fact]
    public async Task The_SDK_gets_each_line_of_a_streamed_answer_while_the_function_is_still_writing()
    {
        await using var api = await DummyApi.StartAsync();

        // Three lines a second and a half apart: the last comes three seconds after the first (Slow's timeout is 30 s).
        var result = Assert.Single(await SdkInvoke.RunAsync(api.InvokeClient.BaseAddress!,
            new { name = "Slow", stream = true, payload = """{"action":"stream","lines":3,"pauseMs":1500}""" }));

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("application/x-ndjson", result.GetProperty("contentType").GetString());
        Assert.Equal("$LATEST", result.GetProperty("version").GetString());
        var chunks = result.GetProperty("chunks").EnumerateArray().ToList();
        Assert.Equal("{\"line\":1}\n{\"line\":2}\n{\"line\":3}\n", Streamed(result));
        var complete = result.GetProperty("complete");
        Assert.Equal(JsonValueKind.Null, complete.GetProperty("errorCode").ValueKind);
        // The first line was in the caller's hands well before the function wrote its last one.
        Assert.True(complete.GetProperty("at").GetInt32() - chunks[0].GetProperty("at").GetInt32() > 1000, result.ToString());
    }

    [Fact]
    public async Task A_function_that_fails_mid_stream_leaves_what_it_wrote_and_InvokeComplete_names_its_error()
    {
        await using var api = await DummyApi.StartAsync();

        var result = Assert.Single(await SdkInvoke.RunAsync(api.InvokeClient.BaseAddress!,
            new { name = "Dummy", stream = true, logType = "Tail", payload = """{"action":"stream","lines":2,"thenThrow":true}""" }));

        Assert.Equal("{\"line\":1}\n{\"line\":2}\n", Streamed(result));
        var complete = result.GetProperty("complete");
        Assert.Equal("Runtime.InvalidOperationException", complete.GetProperty("errorCode").GetString());
        Assert.Equal("The dummy function fails mid-stream on purpose.", complete.GetProperty("errorDetails").GetString());
        Assert.Contains("REPORT RequestId: ", complete.GetProperty("log").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_cut_by_the_function_s_timeout_keeps_what_came_and_completes_with_Sandbox_Timedout()
    {
        await using var api = await DummyApi.StartAsync();

        // Dummy's timeout is 2 s; its third line would come at 3 s.
        var result = Assert.Single(await SdkInvoke.RunAsync(api.InvokeClient.BaseAddress!,
            new { name = "Dummy", stream = true, payload = """{"action":"stream","lines":3,"pauseMs":1500}""" }));

        Assert.Equal("{\"line\":1}\n{\"line\":2}\n", Streamed(result));
        var complete = result.GetProperty("complete");
        Assert.Equal("Sandbox.Timedout", complete.GetProperty("errorCode").GetString());
        Assert.Contains("Task timed out after 2.00 seconds", complete.GetProperty("errorDetails").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_answers_without_streaming_reaches_the_SDK_as_one_chunk_and_a_clean_completion()
    {
        await using var api = await DummyApi.StartAsync();

        var result = Assert.Single(await SdkInvoke.RunAsync(api.InvokeClient.BaseAddress!,
            new { name = "Dummy", stream = true, payload = """{"action":"echo"}""" }));

        Assert.Equal("""{"action":"echo"}""", Assert.Single(result.GetProperty("chunks").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("complete").GetProperty("errorCode").ValueKind);
    }

    [Fact]
    public async Task An_asynchronous_invocation_is_not_one_InvokeWithResponseStream_takes()
    {
        await using var api = await DummyApi.StartAsync();

        var result = Assert.Single(await SdkInvoke.RunAsync(api.InvokeClient.BaseAddress!,
            new { name = "Dummy", stream = true, type = "Event", payload = """{"action":"echo"}""" }));

        var error = result.GetProperty("error");
        Assert.Equal("ValidationException", error.GetProperty("name").GetString());
        Assert.Contains("[RequestResponse, DryRun]", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("START RequestId", api.Output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The PayloadChunk events' text, in order: what the caller received of the stream.</summary>
    private static string Streamed(JsonElement result) =>
        string.Concat(result.GetProperty("chunks").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
}
