using Amazon.CDK;
using Amazon.CDK.Assertions;
using Architecture = Amazon.CDK.AWS.Lambda.Architecture;
using Functions.Build;
using Functions.Cdk;
using Functions.Cdk.NativeAot;

namespace Functions.Infra.Tests;

/// <summary>
/// The CDK asset hash of a function is `./fn build`'s input hash, computed by the same code (build/FunctionInputs.cs):
/// what counts moves both, what does not moves neither.
/// </summary>
public sealed class AssetHashTests : IDisposable
{
    private readonly TempDirectory _repository = NewRepository();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_asset_is_hashed_from_the_build_cores_input_hash()
    {
        var hashes = Hashes("lambdas/A");

        Assert.Equal(hashes.Build, hashes.Given);
        Assert.Matches("^[0-9a-f]{64}$", hashes.Asset);
    }

    [Theory]
    [InlineData("lambdas/A/Program.cs")]
    [InlineData("lambdas/A/A.csproj")]
    [InlineData("shared/Store.cs")]
    [InlineData("shared/Items/Item.cs")]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Build.targets")]
    [InlineData("Directory.Packages.props")]
    [InlineData("global.json")]
    [InlineData("NuGet.config")]
    [InlineData("lambdas/Directory.Build.props")]
    [InlineData("Pack.props")]
    [InlineData("props/Function.props")]
    public void A_change_that_reaches_the_binary_moves_both_hashes_alike(string file)
    {
        var before = Hashes("lambdas/A");

        Append(file, "<!-- changed -->");
        var after = Hashes("lambdas/A");

        Assert.NotEqual(before.Build, after.Build);
        Assert.NotEqual(before.Asset, after.Asset);
        Assert.Equal(after.Build, after.Given);
    }

    [Theory]
    [InlineData("lambdas/A/bin/Release/bootstrap")]
    [InlineData("lambdas/A/obj/project.assets.json")]
    [InlineData("shared/obj/Release/Shared.dll")]
    [InlineData("shared/bin/Release/Shared.dll")]
    [InlineData("README.md")]
    [InlineData("lambdas/A/README.md")]
    [InlineData("shared/.vs/state")]
    [InlineData("infra/Stack.cs")]
    [InlineData("lambdas/B/Program.cs")]
    [InlineData("props/Unused.props")]
    public void A_change_that_does_not_reach_the_binary_moves_neither(string file)
    {
        var before = Hashes("lambdas/A");

        Append(file, "changed");
        var after = Hashes("lambdas/A");

        Assert.Equal(before, after);
    }

    [Fact]
    public void The_same_sources_give_the_same_hash_wherever_the_repository_is()
    {
        using var elsewhere = NewRepository();

        Assert.Equal(Hashes("lambdas/A"), Hashes("lambdas/A", elsewhere));
    }

    [Fact]
    public void Another_architecture_or_framework_is_another_hash()
    {
        var repository = new Repository(_repository.Path);
        var builder = new FunctionBuilder(repository);

        var x64 = builder.InputsHash(BuildRequest.For(repository, "A", BuildMode.Aot, Functions.Build.Architecture.X86_64));
        var arm64 = builder.InputsHash(BuildRequest.For(repository, "A", BuildMode.Aot, Functions.Build.Architecture.Arm64));
        var net8 = builder.InputsHash(BuildRequest.For(repository, "A", BuildMode.Aot, Functions.Build.Architecture.X86_64, "net8.0"));

        Assert.Equal(3, new[] { x64, arm64, net8 }.Distinct().Count());
    }

    /// <summary>
    /// The hash CDK gives the asset (its S3 key, with bundling skipped), the input hash the construct gave CDK, and the
    /// one `./fn build` keeps.
    /// </summary>
    private (string Asset, string Given, string Build) Hashes(string project, TempDirectory? repositoryFolder = null)
    {
        var root = (repositoryFolder ?? _repository).Path;
        var app = new App(new AppProps { Context = new Dictionary<string, object> { [StackFixture.BundlingStacksKey] = Array.Empty<string>() } });
        var stack = new Stack(app, "Hashes");
        var function = new NativeAotFunction(stack, "A", new NativeAotFunctionProps { Project = project, RepositoryRoot = root, Architecture = Architecture.X86_64 });
        var key = new Capture();
        Template.FromStack(stack).HasResourceProperties("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Code"] = Match.ObjectLike(new Props { ["S3Key"] = key }),
        }));
        var repository = new Repository(root);
        var build = new FunctionBuilder(repository).InputsHash(BuildRequest.For(repository, function.Name, BuildMode.Aot, Functions.Build.Architecture.X86_64));
        return (key.AsString().Replace(".zip", "", StringComparison.Ordinal), function.InputsHash, build);
    }

    private void Append(string relativePath, string text)
    {
        var path = Path.Combine(_repository.Path, relativePath);
        var before = File.Exists(path) ? File.ReadAllText(path) : "";
        _repository.Write(relativePath, before + text);
    }

    /// <summary>
    /// The layout of this repository in small: two functions, shared/, the build files above them and the files they
    /// import by path (by name, and through $(MSBuildThisFileDirectory)).
    /// </summary>
    private static TempDirectory NewRepository()
    {
        var repository = new TempDirectory();
        repository.Write("Functions.sln", "");
        repository.Write("Directory.Build.props", "<Project><PropertyGroup><FunctionsTargetFramework>net10.0</FunctionsTargetFramework></PropertyGroup><Import Project=\"Pack.props\" /></Project>");
        repository.Write("Pack.props", "<Project><PropertyGroup><Version>0.1.0</Version></PropertyGroup></Project>");
        repository.Write("props/Function.props", "<Project />");
        repository.Write("props/Unused.props", "<Project />");
        repository.Write("Directory.Packages.props", "<Project />");
        repository.Write("global.json", "{}");
        repository.Write("lambdas/Directory.Build.props", "<Project><Import Project=\"$(MSBuildThisFileDirectory)../props/Function.props\" /></Project>");
        repository.Write("lambdas/A/A.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repository.Write("lambdas/A/Program.cs", "// A");
        repository.Write("lambdas/B/B.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repository.Write("lambdas/B/Program.cs", "// B");
        repository.Write("shared/Store.cs", "class Store { }");
        repository.Write("shared/Items/Item.cs", "class Item { }");
        return repository;
    }
}
