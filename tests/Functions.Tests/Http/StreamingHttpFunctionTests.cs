using System.Text;
using System.Text.Json;
using Functions.Errors;
using Functions.Http;
using Functions.Runtime;
using Functions.Tests.Runtime;

namespace Functions.Tests.Http;

/// <summary>
/// A streaming HTTP handler behind the runtime loop, against a Runtime API that records what the function posts: the
/// prelude carries what the handler set before its first write, a failure before it is a problem+json response in the
/// prelude's status, a failure after it ends the stream in Lambda's trailers.
/// </summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class StreamingHttpFunctionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_status_headers_and_cookies_set_before_the_first_write_go_out_as_the_prelude_before_the_body()
    {
        var post = await StreamAsync(async (_, response, context) =>
        {
            response.StatusCode = 206;
            response.Headers["content-type"] = "application/x-ndjson";
            response.Cookies.Add("cursor=abc; Secure");
            await response.WriteAsync("{\"id\":1}\n"u8.ToArray(), context.CancellationToken);
            await response.WriteAsync("{\"id\":2}\n"u8.ToArray(), context.CancellationToken);
        });

        var (prelude, body) = Split(post.Body);
        Assert.Equal(HttpResponseStreaming.ContentType, post.Headers["Content-Type"]);
        Assert.Equal("""{"statusCode":206,"headers":{"content-type":"application/x-ndjson"},"cookies":["cursor=abc; Secure"]}""", prelude);
        Assert.Equal("{\"id\":1}\n{\"id\":2}\n", body);
        Assert.Empty(post.Trailers);
    }

    [Fact]
    public async Task A_handler_that_writes_nothing_still_answers_its_status_with_an_empty_body()
    {
        var post = await StreamAsync((_, response, _) =>
        {
            response.StatusCode = 204;
            return Task.CompletedTask;
        });

        var (prelude, body) = Split(post.Body);
        Assert.Equal("""{"statusCode":204}""", prelude);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task A_failure_before_the_first_byte_is_the_problem_a_buffered_handler_would_answer()
    {
        var post = await StreamAsync((_, _, _) => throw ApiError.NotFound("There is no export for this table."));

        var (prelude, body) = Split(post.Body);
        using var head = JsonDocument.Parse(prelude);
        Assert.Equal(404, head.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", head.RootElement.GetProperty("headers").GetProperty("content-type").GetString());
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("There is no export for this table.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Contains("r-s", problem.RootElement.GetProperty("instance").GetString(), StringComparison.Ordinal);
        Assert.Empty(post.Trailers);
    }

    [Fact]
    public async Task A_failure_after_the_first_byte_ends_the_stream_with_the_error_in_the_trailers()
    {
        var post = await StreamAsync(async (_, response, context) =>
        {
            await response.WriteAsync("{\"id\":1}\n"u8.ToArray(), context.CancellationToken);
            throw new IOException("The table went away.");
        });

        Assert.Equal("{\"id\":1}\n", Split(post.Body).Body);
        Assert.Equal("Runtime.IOException", post.Trailers[ResponseStream.ErrorTypeTrailer]);
        var report = Encoding.UTF8.GetString(Convert.FromBase64String(post.Trailers[ResponseStream.ErrorBodyTrailer]));
        Assert.Equal("The table went away.", JsonDocument.Parse(report).RootElement.GetProperty("errorMessage").GetString());
    }

    /// <summary>Runs the handler on one HTTP API event; what the function posted to the Runtime API.</summary>
    private static async Task<RecordedPost> StreamAsync(StreamingHttpHandler handler)
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.AnswerNext(200, new Dictionary<string, string> { [RuntimeApiHeaders.RequestId] = "r-s" }, File.ReadAllBytes(Path.Combine(Repository.Locate().Root, "events", "hello.json")));
        await using var function = InProcessFunction.Start(api.HostAndPort, _ => new StreamingHttpFunction(handler));
        var post = await api.NextPostAsync(Timeout);
        Assert.Equal("/2018-06-01/runtime/invocation/r-s/response", post.Path);
        return post;
    }

    /// <summary>The prelude's JSON and the body after the eight NUL bytes.</summary>
    private static (string Prelude, string Body) Split(byte[] posted)
    {
        var delimiter = posted.AsSpan().IndexOf(new byte[HttpResponseStreaming.DelimiterLength]);
        Assert.True(delimiter > 0, Encoding.UTF8.GetString(posted));
        return (Encoding.UTF8.GetString(posted, 0, delimiter), Encoding.UTF8.GetString(posted, delimiter + HttpResponseStreaming.DelimiterLength, posted.Length - delimiter - HttpResponseStreaming.DelimiterLength));
    }
}
