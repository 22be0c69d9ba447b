using Functions.Build;

namespace Functions.Tests.Building;

/// <summary>The commands messages suggest are the ones that run the tool where the user is.</summary>
public sealed class RepositoryTests : IDisposable
{
    private readonly DirectoryInfo _app = Directory.CreateTempSubdirectory("fn-repository-");

    public void Dispose() => _app.Delete(recursive: true);

    [Fact]
    public void This_repository_is_run_with_its_launcher_script_and_set_up_by_it()
    {
        var repository = Repository.Locate();

        Assert.Equal("./fn", repository.Command);
        Assert.Equal("./fn setup", repository.NodeSetup);
    }

    [Fact]
    public void An_app_without_the_launcher_is_run_with_the_local_tool_and_gets_its_node_tools_from_npm()
    {
        File.WriteAllText(Path.Combine(_app.FullName, "cdk.json"), "{}");
        _app.CreateSubdirectory("lambdas");

        var repository = new Repository(_app.FullName);

        Assert.Equal("dotnet fn", repository.Command);
        Assert.Equal("npm install", repository.NodeSetup);
    }
}
