using Functions.Tools.WebConsole;

namespace Functions.Tests.WebConsole;

public sealed class TrafficFeedTests
{
    [Fact]
    public async Task A_page_that_does_not_keep_up_gets_the_newest_entries_and_serve_holds_no_more_than_its_queue()
    {
        var feed = new TrafficFeed();
        using var stop = new CancellationTokenSource();
        var listening = feed.ListenAsync(TimeSpan.FromMilliseconds(50), stop.Token).GetAsyncEnumerator();
        var first = listening.MoveNextAsync(); // subscribes, then waits for an entry
        await Eventually.WaitUntilAsync(() => feed.ListenerCount == 1, TimeSpan.FromSeconds(5));

        for (var i = 0; i < 1_000; i++)
        {
            feed.Publish(new TrafficEntry(DateTimeOffset.UtcNow, "GET", $"/items/{i}", 200, 1, "warm"));
        }
        Assert.True(await first);
        var batch = listening.Current;

        Assert.Equal(TrafficFeed.QueuedPerListener, batch.Count);
        Assert.Equal("/items/999", batch[^1].Path);
        Assert.Equal($"/items/{1_000 - TrafficFeed.QueuedPerListener}", batch[0].Path);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await listening.MoveNextAsync());
        await listening.DisposeAsync();
        Assert.Equal(0, feed.ListenerCount);
    }
}
