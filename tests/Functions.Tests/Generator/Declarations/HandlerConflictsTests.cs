using Functions.Declarations;

namespace Functions.Tests.Generator.Declarations;

/// <summary>Every route and verb has one handler, in a function of its own: FN0003 and FN0007, judged once for the generator and build/.</summary>
public sealed class HandlerConflictsTests
{
    [Fact]
    public void One_handler_per_route_in_separate_functions_is_no_conflict()
    {
        Assert.Empty(HandlerConflicts.Find(Handlers(("GET /items", "lambdas/Items.List"), ("POST /items", "lambdas/Items.Create")), oneFunction: false));
    }

    [Fact]
    public void A_route_served_twice_is_FN0003_on_the_second_naming_both()
    {
        var conflict = Assert.Single(HandlerConflicts.Find(Handlers(("GET /items/{id}", "A.Get"), ("GET /items", "B.List"), ("GET /items/{id}", "C.Get")), oneFunction: false));

        Assert.Equal(("FN0003", 2), (conflict.Id, conflict.Index));
        Assert.StartsWith("GET /items/{id} is served by both A.Get and C.Get", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_that_differ_only_in_parameter_names_are_one_route()
    {
        var conflict = Assert.Single(HandlerConflicts.Find(Handlers(("GET /items/{id}", "A.Get"), ("GET /items/{key}", "B.Get")), oneFunction: true));

        Assert.Equal("FN0003", conflict.Id);
        Assert.Contains("GET /items/{id} and GET /items/{key} is served by both A.Get and B.Get", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_handler_on_another_route_in_one_function_is_FN0007()
    {
        var conflict = Assert.Single(HandlerConflicts.Find(Handlers(("GET /things", "Both.List"), ("POST /things", "Both.Create")), oneFunction: true));

        Assert.Equal(("FN0007", 1), (conflict.Id, conflict.Index));
        Assert.Contains("Both.Create (POST /things) is a second handler in this project (the first is Both.List, GET /things)", conflict.Message, StringComparison.Ordinal);
    }

    private static List<KeyValuePair<string, string>> Handlers(params (string Key, string Owner)[] handlers) =>
        handlers.Select(h => KeyValuePair.Create(h.Key, h.Owner)).ToList();
}
