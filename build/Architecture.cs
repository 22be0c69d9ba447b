using System.Runtime.InteropServices;

namespace Functions.Build;

/// <summary>Lambda's two architectures, named the ways Lambda, .NET, GNU and Debian name them.</summary>
/// <param name="Name">Lambda's name: x86_64, arm64 (what --arch and -c arch take).</param>
/// <param name="RuntimeIdentifier">.NET runtime identifier: linux-x64, linux-arm64.</param>
/// <param name="GnuTriple">Cross toolchain prefix and sysroot folder: x86_64-linux-gnu, aarch64-linux-gnu.</param>
/// <param name="DebianArch">Debian multiarch name: amd64, arm64.</param>
/// <param name="Interpreter">The dynamic loader its executables name (PT_INTERP).</param>
public sealed record Architecture(string Name, string RuntimeIdentifier, string GnuTriple, string DebianArch, string Interpreter)
{
    public static readonly Architecture X86_64 = new("x86_64", "linux-x64", "x86_64-linux-gnu", "amd64", "/lib64/ld-linux-x86-64.so.2");
    public static readonly Architecture Arm64 = new("arm64", "linux-arm64", "aarch64-linux-gnu", "arm64", "/lib/ld-linux-aarch64.so.1");

    public static IReadOnlyList<Architecture> All { get; } = [Arm64, X86_64];

    /// <summary>This machine's architecture; null on one Lambda does not have.</summary>
    public static Architecture? Host { get; } = RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => Arm64,
        System.Runtime.InteropServices.Architecture.X64 => X86_64,
        _ => null,
    };

    /// <summary>The host's, else x86_64: the default of the verbs that run functions here.</summary>
    public static Architecture HostOrX86_64 => Host ?? X86_64;

    public bool IsHost => this == Host;

    /// <summary>The user-mode emulator that runs this architecture's executables on another (Debian's qemu-user).</summary>
    public string Emulator => $"qemu-{GnuTriple.Split('-')[0]}";

    /// <summary>For people: "x86_64" on its own machine, "arm64 under qemu-aarch64" on another.</summary>
    public string RunsHereAs => IsHost ? Name : $"{Name} under {Emulator}";

    public static Architecture? Parse(string text) => text.ToLowerInvariant() switch
    {
        "x86_64" or "x64" or "amd64" or "linux-x64" => X86_64,
        "arm64" or "aarch64" or "linux-arm64" => Arm64,
        _ => null,
    };

    public override string ToString() => Name;
}
