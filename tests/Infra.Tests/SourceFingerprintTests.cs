using Functions.Infra.NativeAot;

namespace Functions.Infra.Tests;

/// <summary>The asset hash covers everything that goes into a function's binary, and nothing else (issue 3).</summary>
public sealed class SourceFingerprintTests : IDisposable
{
    private const string Recipe = "linux-x64 -c Release";

    private readonly TempDirectory _repository = NewRepository();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_same_sources_give_the_same_hash_wherever_the_repository_is()
    {
        using var elsewhere = NewRepository();

        var here = HashOf(_repository, "lambdas/A");
        var there = HashOf(elsewhere, "lambdas/A");

        Assert.Equal(here, there);
    }

    [Fact]
    public void A_change_to_shared_changes_every_functions_hash()
    {
        var before = (A: HashOf(_repository, "lambdas/A"), B: HashOf(_repository, "lambdas/B"));

        _repository.Write("shared/Store.cs", "class Store { int changed; }");

        Assert.NotEqual(before.A, HashOf(_repository, "lambdas/A"));
        Assert.NotEqual(before.B, HashOf(_repository, "lambdas/B"));
    }

    [Fact]
    public void A_change_to_one_function_leaves_the_others_hash_alone()
    {
        var before = (A: HashOf(_repository, "lambdas/A"), B: HashOf(_repository, "lambdas/B"));

        _repository.Write("lambdas/A/Program.cs", "// changed");

        Assert.NotEqual(before.A, HashOf(_repository, "lambdas/A"));
        Assert.Equal(before.B, HashOf(_repository, "lambdas/B"));
    }

    [Theory]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Packages.props")]
    [InlineData("global.json")]
    [InlineData("lambdas/Directory.Build.props")]
    public void A_change_to_a_build_file_changes_the_hash(string buildFile)
    {
        var before = HashOf(_repository, "lambdas/A");

        _repository.Write(buildFile, "<Project><!-- changed --></Project>");

        Assert.NotEqual(before, HashOf(_repository, "lambdas/A"));
    }

    [Theory]
    [InlineData("lambdas/A/bin/Release/bootstrap")]
    [InlineData("lambdas/A/obj/project.assets.json")]
    [InlineData("shared/obj/Release/Shared.dll")]
    public void Build_output_in_bin_and_obj_leaves_the_hash_alone(string output)
    {
        var before = HashOf(_repository, "lambdas/A");

        _repository.Write(output, "built");

        Assert.Equal(before, HashOf(_repository, "lambdas/A"));
    }

    [Fact]
    public void Files_outside_the_function_and_shared_leave_the_hash_alone()
    {
        var before = HashOf(_repository, "lambdas/A");

        _repository.Write("infra/Stack.cs", "// changed");
        _repository.Write("README.md", "changed");

        Assert.Equal(before, HashOf(_repository, "lambdas/A"));
    }

    [Fact]
    public void Another_architecture_is_another_hash()
    {
        var x64 = SourceFingerprint.Compute(_repository.Path, ["lambdas/A", "shared"], "linux-x64 -c Release");
        var arm64 = SourceFingerprint.Compute(_repository.Path, ["lambdas/A", "shared"], "linux-arm64 -c Release");

        Assert.NotEqual(x64, arm64);
    }

    private static string HashOf(TempDirectory repository, string function) =>
        SourceFingerprint.Compute(repository.Path, [function, "shared"], Recipe);

    /// <summary>The layout of this repository in small: two functions, shared/, and the build files above them.</summary>
    private static TempDirectory NewRepository()
    {
        var repository = new TempDirectory();
        repository.Write("Directory.Build.props", "<Project />");
        repository.Write("Directory.Packages.props", "<Project />");
        repository.Write("global.json", "{}");
        repository.Write("lambdas/Directory.Build.props", "<Project />");
        repository.Write("lambdas/A/A.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repository.Write("lambdas/A/Program.cs", "// A");
        repository.Write("lambdas/B/B.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repository.Write("lambdas/B/Program.cs", "// B");
        repository.Write("shared/Store.cs", "class Store { }");
        return repository;
    }
}
