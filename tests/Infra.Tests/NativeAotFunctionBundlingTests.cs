using System.IO.Compression;
using System.Runtime.Versioning;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Architecture = Amazon.CDK.AWS.Lambda.Architecture;
using Functions.Build;
using Functions.Cdk;
using Functions.Cdk.NativeAot;

namespace Functions.Infra.Tests;

/// <summary>The real bundling through the build core: a cross-compiled arm64 bootstrap in the asset, and the early failures.</summary>
public sealed class NativeAotFunctionBundlingTests : IDisposable
{
    private readonly TempDirectory _outdir = new();

    public void Dispose() => _outdir.Dispose();

    [Fact(Timeout = 15 * 60 * 1000)] // one Native AOT cross-compile: under a minute on two cores, more while other tests build
    [SupportedOSPlatform("linux")]
    public async Task Synthesizing_Hello_for_arm64_puts_an_aarch64_bootstrap_alone_at_the_root_of_its_zip()
    {
        // Arrange
        var app = new App(new AppProps { Outdir = _outdir.Path });
        var stack = new Stack(app, "Bundling");

        // Act
        await Task.Run(() =>
        {
            _ = new NativeAotFunction(stack, "Hello", new NativeAotFunctionProps { Project = "lambdas/Hello", Architecture = Architecture.ARM_64 });
            app.Synth();
        });

        // Assert
        var asset = Assert.Single(Directory.GetFiles(_outdir.Path, "asset.*.zip"));
        using var zip = ZipFile.OpenRead(asset);
        var entry = Assert.Single(zip.Entries);
        Assert.Equal("bootstrap", entry.FullName);
        Assert.Equal(Convert.ToInt32("100755", 8), entry.ExternalAttributes >>> 16); // st_mode: a regular file, rwxr-xr-x
        using var content = new MemoryStream();
        using (var stream = entry.Open())
        {
            await stream.CopyToAsync(content);
        }
        var elf = ElfFile.Read(content.ToArray());
        Assert.Equal(ElfFile.Class64, elf.Class);
        Assert.Equal(ElfFile.MachineAarch64, elf.Machine);
        Assert.Equal("/lib/ld-linux-aarch64.so.1", elf.Interpreter);
    }

    [Fact]
    public void Bundling_for_arm64_on_an_x64_host_without_the_cross_toolchain_fails_before_building_naming_each_package()
    {
        // Arrange: an x64 Linux host with clang and nothing for arm64.
        using var empty = new TempDirectory();
        var host = new Toolchain(IsLinux: true, Functions.Build.Architecture.X86_64, Usr: empty.Path, Root: empty.Path, IsOnPath: command => command == "clang");
        var app = new App(new AppProps { Outdir = _outdir.Path });
        var stack = new Stack(app, "Bundling");

        // Act
        var failure = Assert.Throws<SynthesisException>(() =>
            new NativeAotFunction(stack, "Hello", new NativeAotFunctionProps { Project = "lambdas/Hello", Toolchain = host }));

        // Assert
        foreach (var package in (string[])["gcc-aarch64-linux-gnu", "binutils-aarch64-linux-gnu", "libc6-dev-arm64-cross", "zlib1g-dev:arm64"])
        {
            Assert.Contains(package, failure.Message);
        }
        Assert.Contains("dpkg --add-architecture arm64", failure.Message);
        Assert.Contains("./fn setup", failure.Message);
        Assert.Contains("--arch x86_64", failure.Message);
        Assert.Empty(Directory.GetFiles(_outdir.Path, "*.zip", SearchOption.AllDirectories));
    }
}
