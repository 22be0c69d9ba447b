namespace Functions.Tests.Building;

/// <summary>What the build core says a machine lacks, and that ./fn setup leaves this one lacking nothing.</summary>
public sealed class ToolchainTests : IDisposable
{
    private readonly DirectoryInfo _empty = Directory.CreateTempSubdirectory("fn-toolchain-");

    public void Dispose() => _empty.Delete(recursive: true);

    [Fact]
    public void After_setup_this_machine_lacks_nothing_to_build_and_run_both_architectures()
    {
        // ./fn test runs ./fn setup first: its apt list and build/Toolchain.cs must name the same pieces.
        foreach (var architecture in Architecture.All)
        {
            Assert.Empty(Toolchain.Current.MissingToBuild(BuildMode.Aot, architecture));
            Assert.Empty(Toolchain.Current.MissingToRun(architecture));
        }
    }

    [Fact]
    public void An_x64_machine_without_the_cross_toolchain_is_told_each_package_and_the_command()
    {
        var host = BareX64Host(onPath: "clang");

        var failure = Assert.Throws<BuildException>(() => host.EnsureCanBuild(BuildRequest.For(Repository.Locate(), "Hello", BuildMode.Aot, Architecture.Arm64)));

        Assert.Contains("Cannot build arm64 (linux-arm64) functions with Native AOT on this x86_64 machine", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install -y gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross zlib1g-dev:arm64", failure.Message, StringComparison.Ordinal);
        Assert.Contains("--arch x86_64", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_without_clang_cannot_build_Native_AOT_even_for_itself_but_can_build_ReadyToRun()
    {
        var host = BareX64Host(onPath: "none");

        var missing = host.MissingToBuild(BuildMode.Aot, Architecture.X86_64).Select(m => m.AptPackage).ToList();

        Assert.Equal(["clang", "zlib1g-dev"], missing);
        Assert.Empty(host.MissingToBuild(BuildMode.R2r, Architecture.Arm64));
    }

    [Fact]
    public void Running_arm64_on_x64_needs_qemu_user_and_the_arm64_glibc_and_OpenSSL()
    {
        var host = BareX64Host(onPath: "clang");

        var failure = Assert.Throws<BuildException>(() => host.EnsureCanRun(Architecture.Arm64));

        Assert.Equal(["qemu-user", "libc6:arm64", "libssl3:arm64"], host.MissingToRun(Architecture.Arm64).Select(m => m.AptPackage).ToList());
        Assert.Contains("qemu-aarch64", failure.Message, StringComparison.Ordinal);
        Assert.Empty(host.MissingToRun(Architecture.X86_64));
    }

    [Fact]
    public void Net8_cannot_target_arm64_and_says_why_before_anything_runs()
    {
        var failure = Assert.Throws<BuildException>(() => Toolchain.Current.EnsureCanBuild(BuildRequest.For(Repository.Locate(), "Hello", BuildMode.Aot, Architecture.Arm64, "net8.0")));

        Assert.Contains("net8.0 cannot target arm64", failure.Message, StringComparison.Ordinal);
        Assert.Null(TargetFramework.WhyNotFor("net8.0", Architecture.X86_64));
    }

    [Fact]
    public void The_default_framework_comes_from_Directory_Build_props()
    {
        Assert.Equal("net10.0", TargetFramework.Default(Repository.Locate()));
    }

    private Toolchain BareX64Host(string onPath) =>
        new(IsLinux: true, Architecture.X86_64, Usr: _empty.FullName, Root: _empty.FullName, IsOnPath: command => command == onPath);
}
