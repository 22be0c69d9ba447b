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

    [Fact]
    public async Task A_listed_request_can_be_opened_the_last_hundred_are_kept_and_none_once_no_page_listens()
    {
        var feed = new TrafficFeed();
        using var stop = new CancellationTokenSource();
        var listening = feed.ListenAsync(TimeSpan.FromMilliseconds(50), stop.Token).GetAsyncEnumerator();
        var first = listening.MoveNextAsync();
        await Eventually.WaitUntilAsync(() => feed.ListenerCount == 1, TimeSpan.FromSeconds(5));

        for (var i = 0; i < RequestDetails.Kept + 5; i++)
        {
            feed.Publish(new TrafficEntry(DateTimeOffset.UtcNow, "GET", $"/items/{i}", 200, 1, "warm"), Detail($"r{i}"));
        }
        Assert.True(await first);
        var newest = listening.Current[^1];

        Assert.Equal(($"r{RequestDetails.Kept + 4}", "Items.Get"), (newest.RequestId, newest.Function));
        Assert.Equal("/items/104", feed.Details.Find(newest.RequestId!)!.Event);
        Assert.Null(feed.Details.Find("r4"));
        Assert.NotNull(feed.Details.Find("r5"));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await listening.MoveNextAsync());
        await listening.DisposeAsync();
        Assert.Null(feed.Details.Find(newest.RequestId!));
    }

    [Fact]
    public void A_body_is_kept_as_text_cut_on_a_whole_character_or_as_its_size_when_it_is_not_text()
    {
        var accents = new string('é', RequestDetail.MaxTextBytes); // two bytes each: the cut falls inside none
        var cut = RequestDetail.Shown(System.Text.Encoding.UTF8.GetBytes("x" + accents));

        Assert.Equal("{\"ok\":true}", RequestDetail.Shown("{\"ok\":true}"u8));
        Assert.StartsWith("x" + accents[..((RequestDetail.MaxTextBytes - 1) / 2)], cut, StringComparison.Ordinal);
        Assert.EndsWith($"… ({RequestDetail.MaxTextBytes + 2} more bytes not kept)", cut, StringComparison.Ordinal);
        Assert.Equal("(3 bytes, not text)", RequestDetail.Shown([0xff, 0x00, 0xfe]));
    }

    private static RequestDetail Detail(string requestId) =>
        new(requestId, "Items.Get", "/items/" + requestId[1..], 200, [new("content-type", "application/json")], "{}", "REPORT RequestId: x");
}
