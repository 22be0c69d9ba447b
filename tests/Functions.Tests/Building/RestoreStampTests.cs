namespace Functions.Tests.Building;

/// <summary>
/// A function's restore is skipped only after a restore of the same recipe and the same project files: code edits
/// keep it current, a project, props or package change or another architecture does not.
/// </summary>
public sealed class RestoreStampTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("fn-restore-");

    public RestoreStampTests()
    {
        Write("Functions.sln", "");
        Write("Directory.Build.props", "<Project><PropertyGroup><FunctionsTargetFramework>net10.0</FunctionsTargetFramework></PropertyGroup></Project>");
        Write("Directory.Packages.props", "<Project />");
        Write("lambdas/A/A.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write("lambdas/A/Handler.cs", "// A");
        Write("shared/Toolkit/Toolkit.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write("shared/Toolkit/Results.cs", "class Results { }");
    }

    public void Dispose() => _root.Delete(recursive: true);

    private Repository Repository => new(_root.FullName);

    private BuildRequest Jit => BuildRequest.For(Repository, "A", BuildMode.Jit, Architecture.X86_64);

    [Fact]
    public void A_function_never_restored_is_restored()
    {
        Assert.False(new RestoreStamp(Repository, Jit).IsCurrent);
    }

    [Fact]
    public void After_a_restore_an_edit_to_code_needs_none()
    {
        Restored(Jit);

        Write("lambdas/A/Handler.cs", "// A, edited");
        Write("shared/Toolkit/Results.cs", "class Results { int edited; }");

        Assert.True(new RestoreStamp(Repository, Jit).IsCurrent);
    }

    [Theory]
    [InlineData("lambdas/A/A.csproj")]
    [InlineData("shared/Toolkit/Toolkit.csproj")]
    [InlineData("Directory.Packages.props")]
    [InlineData("Directory.Build.props")]
    [InlineData("lambdas/A/Extra.targets")]
    public void A_change_to_what_restore_reads_restores_again(string file)
    {
        Restored(Jit);

        Write(file, "<Project><PropertyGroup><FunctionsTargetFramework>net10.0</FunctionsTargetFramework></PropertyGroup><!-- changed --></Project>");

        Assert.False(new RestoreStamp(Repository, Jit).IsCurrent);
    }

    [Fact]
    public void Another_architecture_or_mode_restores_again()
    {
        Restored(Jit);

        Assert.False(new RestoreStamp(Repository, BuildRequest.For(Repository, "A", BuildMode.Jit, Architecture.Arm64)).IsCurrent);
        Assert.False(new RestoreStamp(Repository, BuildRequest.For(Repository, "A", BuildMode.Aot, Architecture.X86_64)).IsCurrent);
    }

    [Fact]
    public void A_stamp_without_its_assets_file_restores_again()
    {
        Restored(Jit);

        File.Delete(Path.Combine(_root.FullName, ".fn", "build", Jit.Flavour, "obj", "A", "project.assets.json"));

        Assert.False(new RestoreStamp(Repository, Jit).IsCurrent);
    }

    [Theory]
    [InlineData("error NETSDK1047: Assets file '/r/.fn/build/aot/obj/A/project.assets.json' doesn't have a target for 'net10.0/linux-x64'.", true)]
    [InlineData("error NETSDK1004: Assets file '/r/.fn/build/aot/obj/A/project.assets.json' not found.", true)]
    [InlineData("error CS1002: ; expected", false)]
    public void Only_a_stale_restore_is_retried_with_a_restore(string output, bool stale)
    {
        Assert.Equal(stale, RestoreStamp.WasStale(output));
    }

    /// <summary>What a successful publish with a restore leaves: the assets file, then the stamp.</summary>
    private void Restored(BuildRequest request)
    {
        Write($".fn/build/{request.Flavour}/obj/A/project.assets.json", "{}");
        new RestoreStamp(Repository, request).Record();
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
