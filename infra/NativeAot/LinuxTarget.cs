using Amazon.CDK.AWS.Lambda;

namespace Functions.Infra.NativeAot;

/// <summary>The Linux a function is compiled for, named the ways .NET, GNU and Debian name it.</summary>
/// <param name="LambdaName">Lambda's name: arm64, x86_64 (also what --arch and -c arch take).</param>
/// <param name="Rid">.NET runtime identifier: linux-arm64, linux-x64.</param>
/// <param name="GnuTriple">Cross toolchain prefix and sysroot folder: aarch64-linux-gnu, x86_64-linux-gnu.</param>
/// <param name="DebianArch">Debian multiarch name: arm64, amd64.</param>
internal sealed record LinuxTarget(string LambdaName, string Rid, string GnuTriple, string DebianArch)
{
    public static readonly LinuxTarget Arm64 = new("arm64", "linux-arm64", "aarch64-linux-gnu", "arm64");
    public static readonly LinuxTarget X64 = new("x86_64", "linux-x64", "x86_64-linux-gnu", "amd64");

    public static LinuxTarget For(Architecture architecture) => architecture.Name switch
    {
        "arm64" => Arm64,
        "x86_64" => X64,
        var other => throw new SynthesisException($"Lambda architecture '{other}' has no Native AOT target here; use arm64 or x86_64."),
    };
}
