using Functions.Tools.WebConsole;

namespace Functions.Tests.Serve;

/// <summary>What the gateway keeps of each request for a console page to open: only while a page listens.</summary>
public sealed class TrafficDetailTests
{
    [Fact]
    public async Task With_a_page_listening_a_request_keeps_its_event_answer_and_log_and_without_one_nothing_is_kept()
    {
        var traffic = new TrafficFeed();
        await using var api = await DummyApi.StartAsync(traffic: traffic);
        using var unlistened = await api.PostAsync("/dummy", """{"action":"echo"}""");
        var unlistenedId = unlistened.Headers.GetValues("apigw-requestid").Single();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listening = traffic.ListenAsync(TimeSpan.FromMilliseconds(10), stop.Token).GetAsyncEnumerator(stop.Token);
        var next = listening.MoveNextAsync();
        await Eventually.WaitUntilAsync(() => traffic.IsListened, TimeSpan.FromSeconds(5));
        using var echoed = await api.PostAsync("/things/42", """{"action":"echo"}""");
        Assert.True(await next);
        var entry = Assert.Single(listening.Current);
        var detail = traffic.Details.Find(entry.RequestId!)!;

        using var urlClient = new HttpClient { BaseAddress = api.UrlAddress };
        using var streamed = await urlClient.PostAsync("/Dummy/", new StringContent("""{"action":"stream","http":true,"lines":2}"""));
        Assert.True(await listening.MoveNextAsync());
        var streamedDetail = traffic.Details.Find(listening.Current.Single().RequestId!)!;

        Assert.Null(traffic.Details.Find(unlistenedId));
        Assert.Equal((echoed.Headers.GetValues("apigw-requestid").Single(), "Dummy", "/things/42"), (entry.RequestId, entry.Function, entry.Path));
        Assert.Contains("\"routeKey\":\"POST /things/{id}\"", detail.Event, StringComparison.Ordinal);
        Assert.Equal(200, detail.Status);
        Assert.Equal(await echoed.Content.ReadAsStringAsync(), detail.Body);
        Assert.Matches(@"^START RequestId: \S+ Version: \$LATEST\nEND RequestId: \S+\nREPORT RequestId: ", detail.Log);
        Assert.Equal((201, "Dummy"), (streamedDetail.Status, streamedDetail.Function));
        Assert.Contains("\"rawPath\":\"/\"", streamedDetail.Event, StringComparison.Ordinal);
        Assert.Contains("REPORT RequestId: ", streamedDetail.Log, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await listening.MoveNextAsync());
        await listening.DisposeAsync();
    }
}
