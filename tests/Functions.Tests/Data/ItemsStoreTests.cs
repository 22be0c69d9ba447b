using Functions.Data;
using Functions.Errors;
using Functions.Items;

namespace Functions.Tests.Data;

[Collection(DynaliteCollection.Name)]
public sealed class ItemsStoreTests(DynaliteFixture dynalite) : IDisposable
{
    /// <summary>Every call goes over a loopback socket to dynalite; a healthy one answers in milliseconds.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly ItemInput Cup = new("Espresso cup", "Stoneware, 90 ml", 12.5m, ["kitchen", "ceramic"]);

    private static readonly ItemInput Mug = new("Mug", null, 9.99m, ["kitchen"]);

    private readonly CancellationTokenSource _timeout = new(Timeout);

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task A_created_item_is_got_back_as_it_was_made()
    {
        // Arrange
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 21, 19, 0, 0, TimeSpan.Zero));
        var store = dynalite.Store(clock);

        // Act
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);
        var got = await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout);

        // Assert
        Assert.True(ItemId.IsWellFormed(created.Id));
        Assert.Equal(1, created.Version);
        Assert.Equal("2026-11-21T19:00:00.000Z", created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.NotNull(got);
        Assert.Equivalent(created, got, strict: true);
    }

    [Fact]
    public async Task A_known_caller_is_recorded_as_creator_and_last_changer()
    {
        var store = dynalite.Store();

        var created = await store.CreateAsync(Cup, caller: "alice", Cancel).WaitAsync(Timeout);
        var updated = await store.UpdateAsync(created.Id, Mug, expectedVersions: null, caller: "bob", Cancel).WaitAsync(Timeout);
        var got = await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout);

        Assert.Equal(("alice", "alice"), (created.CreatedBy, created.UpdatedBy));
        Assert.Equal(("alice", "bob"), (updated.CreatedBy, updated.UpdatedBy));
        Assert.Equivalent(updated, got, strict: true);
    }

    [Fact]
    public async Task A_change_by_an_unknown_caller_forgets_the_last_changer_and_keeps_the_creator()
    {
        var store = dynalite.Store();
        var created = await store.CreateAsync(Cup, caller: "alice", Cancel).WaitAsync(Timeout);

        var updated = await store.UpdateAsync(created.Id, Mug, expectedVersions: null, caller: null, Cancel).WaitAsync(Timeout);

        Assert.Equal("alice", updated.CreatedBy);
        Assert.Null(updated.UpdatedBy);
        Assert.Null(updated.Description); // The other REMOVE in the same update still happens.
    }

    [Fact]
    public async Task An_item_without_description_or_tags_round_trips()
    {
        var store = dynalite.Store();

        var created = await store.CreateAsync(new ItemInput("Plain", null, 0m, []), caller: null, Cancel).WaitAsync(Timeout);
        var got = await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout);

        Assert.NotNull(got);
        Assert.Null(got.Description);
        Assert.Empty(got.Tags);
        Assert.Equal(0m, got.Price);
    }

    [Fact]
    public async Task Getting_an_item_that_does_not_exist_gives_null()
    {
        var store = dynalite.Store();

        var got = await store.GetAsync(ItemId.New(), Cancel).WaitAsync(Timeout);

        Assert.Null(got);
    }

    [Fact]
    public async Task Update_with_the_current_version_replaces_the_item_and_increments_the_version()
    {
        // Arrange
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 21, 19, 0, 0, TimeSpan.Zero));
        var store = dynalite.Store(clock);
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);
        clock.Now = clock.Now.AddMinutes(5);

        // Act
        var updated = await store.UpdateAsync(created.Id, Mug, expectedVersions: [1], caller: null, Cancel).WaitAsync(Timeout);

        // Assert
        Assert.Equal(2, updated.Version);
        Assert.Equal("Mug", updated.Name);
        Assert.Null(updated.Description);
        Assert.Equal(9.99m, updated.Price);
        Assert.Equal(["kitchen"], updated.Tags);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal("2026-11-21T19:05:00.000Z", updated.UpdatedAt);
        Assert.Equivalent(updated, await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout), strict: true);
    }

    [Fact]
    public async Task Update_without_If_Match_is_unconditional()
    {
        var store = dynalite.Store();
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);
        await store.UpdateAsync(created.Id, Mug, expectedVersions: null, caller: null, Cancel).WaitAsync(Timeout);

        var updated = await store.UpdateAsync(created.Id, Cup, expectedVersions: null, caller: null, Cancel).WaitAsync(Timeout);

        Assert.Equal(3, updated.Version);
        Assert.Equal(Cup.Description, updated.Description);
    }

    [Fact]
    public async Task Update_with_a_stale_If_Match_fails_with_412_and_changes_nothing()
    {
        // Arrange: version 2 is current, so version 1 is stale.
        var store = dynalite.Store();
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);
        var current = await store.UpdateAsync(created.Id, Mug, expectedVersions: [1], caller: null, Cancel).WaitAsync(Timeout);

        // Act
        var error = await Assert.ThrowsAsync<ApiError>(
            () => store.UpdateAsync(created.Id, Cup, expectedVersions: [1], caller: null, Cancel).WaitAsync(Timeout));

        // Assert
        Assert.Equal(412, error.Status);
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Equivalent(current, await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout), strict: true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1L)]
    public async Task Update_of_a_missing_item_is_404(long? expectedVersion)
    {
        var store = dynalite.Store();
        var id = ItemId.New();

        var error = await Assert.ThrowsAsync<ApiError>(() => store.UpdateAsync(id, Cup, Versions(expectedVersion), caller: null, Cancel).WaitAsync(Timeout));

        Assert.Equal(404, error.Status);
        Assert.Null(await store.GetAsync(id, Cancel).WaitAsync(Timeout));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1L)]
    public async Task Delete_of_a_missing_item_is_404(long? expectedVersion)
    {
        var store = dynalite.Store();

        var error = await Assert.ThrowsAsync<ApiError>(() => store.DeleteAsync(ItemId.New(), Versions(expectedVersion), Cancel).WaitAsync(Timeout));

        Assert.Equal(404, error.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2L)]
    public async Task Delete_with_no_or_the_current_If_Match_removes_the_item(long? expectedVersion)
    {
        var store = dynalite.Store();
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);
        await store.UpdateAsync(created.Id, Mug, expectedVersions: null, caller: null, Cancel).WaitAsync(Timeout);

        await store.DeleteAsync(created.Id, Versions(expectedVersion), Cancel).WaitAsync(Timeout);

        Assert.Null(await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Delete_with_a_stale_If_Match_fails_with_412_and_keeps_the_item()
    {
        var store = dynalite.Store();
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);
        await store.UpdateAsync(created.Id, Mug, expectedVersions: [1], caller: null, Cancel).WaitAsync(Timeout);

        var error = await Assert.ThrowsAsync<ApiError>(() => store.DeleteAsync(created.Id, expectedVersions: [1], Cancel).WaitAsync(Timeout));

        Assert.Equal(412, error.Status);
        Assert.NotNull(await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Of_two_concurrent_updates_from_the_same_version_exactly_one_wins()
    {
        // Several rounds, so the two writes really overlap in at least some of them.
        var store = dynalite.Store();
        for (var round = 0; round < 5; round++)
        {
            // Arrange
            var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);
            var first = new ItemInput("first", null, 1m, []);
            var second = new ItemInput("second", null, 2m, []);

            // Act
            var outcomes = await Task.WhenAll(
                Task.Run(() => OutcomeAsync(store.UpdateAsync(created.Id, first, expectedVersions: [1], caller: null, Cancel))),
                Task.Run(() => OutcomeAsync(store.UpdateAsync(created.Id, second, expectedVersions: [1], caller: null, Cancel)))).WaitAsync(Timeout);

            // Assert
            var winner = Assert.Single(outcomes, o => o.Item is not null).Item!;
            var loser = Assert.Single(outcomes, o => o.Error is not null).Error!;
            Assert.Equal(412, loser.Status);
            Assert.Equal(2, winner.Version);
            Assert.Equivalent(winner, await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout), strict: true);
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(9)]
    public async Task Paging_with_limit_3_returns_every_item_exactly_once(int count)
    {
        // Arrange
        var store = await dynalite.StoreOnNewTableAsync().WaitAsync(Timeout);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await store.CreateAsync(Cup with { Name = $"item {i}" }, caller: null, Cancel).WaitAsync(Timeout)).Id);
        }

        // Act
        var seen = new List<string>();
        var pages = new List<ItemPage>();
        string? after = null;
        do
        {
            var page = await store.ListAsync(3, after, Cancel).WaitAsync(Timeout);
            pages.Add(page);
            seen.AddRange(page.Items.Select(i => i.Id));
            after = page.NextCursor is null ? null : CursorId(page.NextCursor);
        }
        while (after is not null && pages.Count <= 10);

        // Assert
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.All(pages, p => Assert.InRange(p.Items.Count, 0, 3));
        // A full last page may still carry a cursor (DynamoDB cannot know nothing follows); the next one is then empty.
        var fullPages = (count + 2) / 3;
        Assert.InRange(pages.Count, fullPages, fullPages + 1);
        Assert.Null(pages[^1].NextCursor);
    }

    [Fact]
    public async Task Listing_an_empty_table_gives_one_empty_last_page()
    {
        var store = await dynalite.StoreOnNewTableAsync().WaitAsync(Timeout);

        var page = await store.ListAsync(3, after: null, Cancel).WaitAsync(Timeout);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    private static string CursorId(string cursor)
    {
        Assert.True(Cursor.TryDecode(cursor, out var id), $"The store issued a cursor it cannot read: {cursor}");
        return id;
    }

    /// <summary>What the functions pass as the deadline token: the store must give up when the test would.</summary>
    private CancellationToken Cancel => _timeout.Token;

    private static async Task<(Item? Item, ApiError? Error)> OutcomeAsync(Task<Item> update)
    {
        try
        {
            return (await update, null);
        }
        catch (ApiError e)
        {
            return (null, e);
        }
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task An_If_Match_list_that_holds_the_current_version_matches()
    {
        // RFC 9110 §13.1.1: the condition holds if any listed entity-tag matches.
        var store = dynalite.Store();
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);

        var updated = await store.UpdateAsync(created.Id, Mug, expectedVersions: [7, 1], caller: null, Cancel).WaitAsync(Timeout);

        Assert.Equal(2, updated.Version);
    }

    [Fact]
    public async Task An_If_Match_with_no_version_we_could_issue_is_412_for_an_existing_item()
    {
        var store = dynalite.Store();
        var created = await store.CreateAsync(Cup, caller: null, Cancel).WaitAsync(Timeout);

        var error = await Assert.ThrowsAsync<ApiError>(() => store.DeleteAsync(created.Id, expectedVersions: [], Cancel).WaitAsync(Timeout));

        Assert.Equal(412, error.Status);
        Assert.NotNull(await store.GetAsync(created.Id, Cancel).WaitAsync(Timeout));
    }

    private static long[]? Versions(long? version) => version is { } v ? [v] : null;
}
