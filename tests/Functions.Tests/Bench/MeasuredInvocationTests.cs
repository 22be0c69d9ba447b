using System.Text;
using Functions.Http;
using Functions.Tools.Bench;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Bench;

public sealed class MeasuredInvocationTests
{
    [Fact]
    public void A_buffered_HTTP_answer_succeeds_with_a_2xx_status_and_fails_with_another()
    {
        MeasuredInvocation.EnsureSucceeded(Report("""{"statusCode":201,"body":"made"}""", streamed: false), "Items.Create");

        var failed = Assert.Throws<BenchException>(() => MeasuredInvocation.EnsureSucceeded(Report("""{"statusCode":404}""", streamed: false), "Items.Get"));

        Assert.Contains("Items.Get did not succeed (status 404)", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_streamed_HTTP_answer_taken_whole_is_judged_by_its_prelude_s_status()
    {
        var line = "{\"id\":\"a\"}\n";

        MeasuredInvocation.EnsureSucceeded(Report("""{"statusCode":200,"headers":{"content-type":"application/x-ndjson"}}""" + new string('\0', 8) + line, streamed: true), "Items.Export");

        var failed = Assert.Throws<BenchException>(() => MeasuredInvocation.EnsureSucceeded(
            Report("""{"statusCode":503}""" + new string('\0', 8) + "busy", streamed: true), "Items.Export"));
        Assert.Contains("Items.Export did not succeed (status 503)", failed.Message, StringComparison.Ordinal);
    }

    private static InvocationReport Report(string payload, bool streamed) => new(
        "request-1",
        InvocationOutcome.Success(Encoding.UTF8.GetBytes(payload), DateTimeOffset.UnixEpoch) with { StreamContentType = streamed ? HttpResponseStreaming.ContentType : null },
        DurationMs: 1,
        MemorySizeMb: 256,
        MaxMemoryUsedMb: 10,
        InitDurationMs: null);
}
