using Functions.Tools.RuntimeApi;

namespace Functions.Tests.RuntimeApi;

public sealed class AnsweredIdsTests
{
    [Fact]
    public void Remembers_an_answered_id_and_not_one_never_answered()
    {
        var ids = new AnsweredIds();
        ids.Add("a");

        Assert.True(ids.Contains("a"));
        Assert.False(ids.Contains("b"));
    }

    [Fact]
    public void Forgets_the_oldest_ids_past_its_capacity_and_keeps_the_latest()
    {
        var ids = new AnsweredIds();
        for (var i = 0; i < AnsweredIds.Capacity + 10; i++)
        {
            ids.Add($"id-{i}");
        }

        Assert.False(ids.Contains("id-0"));
        Assert.False(ids.Contains("id-9"));
        Assert.True(ids.Contains("id-10"));
        Assert.True(ids.Contains($"id-{AnsweredIds.Capacity + 9}"));
    }

    [Fact]
    public void An_id_added_twice_takes_one_place()
    {
        var ids = new AnsweredIds();
        ids.Add("first");
        for (var i = 0; i < AnsweredIds.Capacity - 1; i++)
        {
            ids.Add("first");
            ids.Add($"id-{i}");
        }

        Assert.True(ids.Contains("first"));
    }
}
