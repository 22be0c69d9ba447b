using Functions.Build;
using Functions.Tests.DynamoDb;

namespace Functions.Tests.Building;

/// <summary>
/// The catalogue reads every function's declaration from source before any build, and refuses what the generator
/// refuses, with the same id and words: a route served by two projects (FN0003), two handlers in one (FN0007).
/// </summary>
public sealed class FunctionCatalogTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Every_function_is_read_with_its_route()
    {
        var repository = Functions(("Items.Get", Handler("Get", "GET", "/items/{id}")), ("Items.List", Handler("List", "GET", "/items")));

        var functions = FunctionCatalog.Discover(repository);

        Assert.Equal(["GET /items/{id}", "GET /items"], functions.Select(f => f.Declaration.RouteKey));
        Assert.Equal("lambdas/Items.Get", FunctionCatalog.Serving(functions, "GET", "/items/{key}")?.Project);
        Assert.Null(FunctionCatalog.Serving(functions, "PUT", "/items/{key}"));
    }

    [Fact]
    public void One_route_in_two_projects_is_FN0003_whatever_its_parameters_are_called()
    {
        var repository = Functions(("Items.Get", Handler("Get", "GET", "/items/{id}")), ("Items.Fetch", Handler("Fetch", "GET", "/items/{key}")));

        var error = Assert.Throws<BuildException>(() => FunctionCatalog.Discover(repository));

        Assert.Equal("FN0003: GET /items/{key} and GET /items/{id} is served by both lambdas/Items.Fetch and lambdas/Items.Get: "
            + "one route and verb has one handler, whatever its parameters are called.", error.Message);
    }

    [Fact]
    public void Two_handlers_in_one_project_are_FN0007()
    {
        var repository = Functions(("Things", Handler("List", "GET", "/things") + Handler("Create", "POST", "/things")));

        var error = Assert.Throws<BuildException>(() => FunctionCatalog.Discover(repository));

        Assert.StartsWith("FN0007: lambdas/Things: Create.Handle (POST /things) is a second handler in this project (the first is List.Handle, GET /things)",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handler_s_route_is_checked_as_the_generator_checks_it()
    {
        var repository = Functions(("Items.Get", Handler("Get", "GET", "/items/{item-id}")));

        var error = Assert.Throws<BuildException>(() => FunctionCatalog.Discover(repository));

        Assert.Contains("FN0004", error.Message, StringComparison.Ordinal);
        Assert.Contains("{item-id}", error.Message, StringComparison.Ordinal);
        Assert.Contains("(e.g. {itemId})", error.Message, StringComparison.Ordinal);
    }

    private static string Handler(string type, string verb, string path) => $$"""
        public static class {{type}}
        {
            [HttpApi("{{verb}}", "{{path}}")]
            public static HttpApiResponse Handle() => Results.NoContent();
        }

        """;

    private Repository Functions(params (string Name, string Source)[] functions)
    {
        foreach (var (name, source) in functions)
        {
            var folder = Path.Combine(_scratch.Path, "lambdas", name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name + ".csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
            File.WriteAllText(Path.Combine(folder, "Function.cs"), source);
        }
        return new Repository(_scratch.Path);
    }
}
