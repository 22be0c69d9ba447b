using System.Net;
using System.Threading.Channels;
using Functions.Tools.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Functions.Tests.Runtime;

/// <summary>
/// A Runtime API on loopback that answers /next with whatever the test scripts and records every POST: for the
/// answers the real emulator never gives (a 500, a missing or unreadable header, the mobile SDK headers).
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly Channel<ScriptedAnswer> _answers = Channel.CreateUnbounded<ScriptedAnswer>();
    private readonly Channel<RecordedPost> _posts = Channel.CreateUnbounded<RecordedPost>();

    private readonly Func<string, int> _postStatus;

    private FakeRuntimeApi(WebApplication app, Func<string, int> postStatus)
    {
        _app = app;
        _postStatus = postStatus;
    }

    /// <summary>host:port, for AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostAndPort { get; private set; } = "";

    /// <param name="postStatus">The status each POST gets, by path; 202 when not given.</param>
    public static async Task<FakeRuntimeApi> StartAsync(Func<string, int>? postStatus = null)
    {
        var app = LoopbackWebApp.Create(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var fake = new FakeRuntimeApi(app, postStatus ?? (_ => 202));
        app.MapGet("/2018-06-01/runtime/invocation/next", fake.NextAsync);
        app.MapPost("/2018-06-01/runtime/{**rest}", fake.RecordAsync);
        await app.StartAsync().WaitAsync(StartTimeout);
        fake.HostAndPort = app.ListeningAddress().Authority;
        return fake;
    }

    /// <summary>What the next GET /next answers; until something is scripted, /next waits, as Lambda's does.</summary>
    public void AnswerNext(int status, IReadOnlyDictionary<string, string> headers, byte[] body) =>
        _answers.Writer.TryWrite(new ScriptedAnswer(status, headers, body));

    public async Task<RecordedPost> NextPostAsync(TimeSpan timeout) =>
        await _posts.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext http)
    {
        ScriptedAnswer answer;
        try
        {
            answer = await _answers.Reader.ReadAsync(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return; // The client stopped waiting.
        }
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = "application/json";
        foreach (var (name, value) in answer.Headers)
        {
            http.Response.Headers[name] = value;
        }
        await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted);
    }

    private async Task RecordAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var trailers = http.Request.SupportsTrailers() && http.Request.CheckTrailersAvailable()
            ? http.Features.GetRequiredFeature<IHttpRequestTrailersFeature>().Trailers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)
            : [];
        var path = http.Request.Path.Value!;
        _posts.Writer.TryWrite(new RecordedPost(path, headers, body.ToArray()) { Trailers = trailers });
        var status = _postStatus(path);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var answer = status == 202 ? """{"status":"OK"}""" : $$"""{"errorType":"Scripted","errorMessage":"The test answers {{status}}."}""";
        await http.Response.WriteAsync(answer, http.RequestAborted);
    }

    private sealed record ScriptedAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}

/// <summary>A POST the function made: its path, headers (case-insensitive), body and, after a chunked body, its trailers.</summary>
internal sealed record RecordedPost(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public IReadOnlyDictionary<string, string> Trailers { get; init; } = new Dictionary<string, string>();
}
