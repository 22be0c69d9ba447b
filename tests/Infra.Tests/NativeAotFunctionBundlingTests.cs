using System.Runtime.Versioning;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Functions.Infra.NativeAot;

namespace Functions.Infra.Tests;

/// <summary>The real bundling: dotnet publish with Native AOT on this host, and the early failure when it cannot (issue 3).</summary>
public sealed class NativeAotFunctionBundlingTests : IDisposable
{
    private readonly TempDirectory _outdir = new();

    public void Dispose() => _outdir.Dispose();

    [Fact(Timeout = 10 * 60 * 1000)] // one Native AOT publish: about a minute and a half on two cores
    [SupportedOSPlatform("linux")] // Native AOT for linux-x64 is built on Linux only
    public async Task Bundling_Hello_for_x86_64_leaves_only_an_executable_bootstrap_in_the_asset()
    {
        // Arrange
        var app = new App(new AppProps { Outdir = _outdir.Path });
        var stack = new Stack(app, "Bundling");

        // Act
        await Task.Run(() =>
        {
            _ = new NativeAotFunction(stack, "Hello", new NativeAotFunctionProps { Project = "lambdas/Hello", Architecture = Architecture.X86_64 });
            app.Synth();
        });

        // Assert
        var asset = Assert.Single(Directory.GetDirectories(_outdir.Path, "asset.*"));
        var file = Assert.Single(Directory.GetFiles(asset));
        Assert.Equal("bootstrap", Path.GetFileName(file));
        Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute), "bootstrap is not executable");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(file)[..4]);
    }

    [Fact]
    public void Bundling_for_arm64_on_an_x64_host_without_the_cross_toolchain_fails_before_publishing()
    {
        // Arrange: an x64 Linux host with clang and nothing for arm64, as on our machines.
        using var empty = new TempDirectory();
        var host = new HostToolchain(IsLinux: true, LinuxTarget.X64, NuGetPackages: empty.Path, Usr: empty.Path, IsOnPath: command => command == "clang");
        var app = new App(new AppProps { Outdir = _outdir.Path });
        var stack = new Stack(app, "Bundling");

        // Act
        var failure = Assert.Throws<SynthesisException>(() =>
            new NativeAotFunction(stack, "Hello", new NativeAotFunctionProps { Project = "lambdas/Hello", Toolchain = host }));

        // Assert
        Assert.Contains("runtime.linux-arm64.Microsoft.DotNet.ILCompiler", failure.Message);
        Assert.Contains("aarch64-linux-gnu sysroot", failure.Message);
        Assert.Contains("--arch x86_64", failure.Message);
        Assert.Empty(Directory.GetDirectories(_outdir.Path, "asset.*"));
    }
}
