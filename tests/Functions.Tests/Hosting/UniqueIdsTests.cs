using Functions.Tools.Hosting;

namespace Functions.Tests.Hosting;

public sealed class UniqueIdsTests
{
    [Fact]
    public void Request_ids_are_version_4_uuids_as_Lambda_gives_and_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => UniqueIds.NewGuid().ToString()).ToList();

        Assert.All(ids.Take(1_000), id => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Hex_and_base64_ids_have_the_shapes_of_trace_and_gateway_ids()
    {
        Assert.Matches("^[0-9a-f]{24}$", UniqueIds.Hex(12));
        Assert.Matches("^[A-Za-z0-9+/]{14}==$", UniqueIds.Base64(10));
        Assert.NotEqual(UniqueIds.Hex(12), UniqueIds.Hex(12));
    }
}
