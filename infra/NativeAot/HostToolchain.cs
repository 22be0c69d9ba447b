using System.Runtime.InteropServices;

namespace Functions.Infra.NativeAot;

/// <summary>
/// What this machine can compile with Native AOT. Checked before the first publish so that a host that cannot build an
/// architecture fails synth at once, naming what is missing, instead of after minutes of other work (issue 3).
/// </summary>
/// <param name="IsLinux">Native AOT does not cross operating systems: linux-* binaries need a Linux host.</param>
/// <param name="HostTarget">The target this host builds without a cross toolchain.</param>
/// <param name="NuGetPackages">The global packages folder, where restore left the ILCompiler packages.</param>
/// <param name="Usr">Where the cross sysroots (usr/&lt;triple&gt;) and multiarch libraries (usr/lib/&lt;triple&gt;) live.</param>
/// <param name="IsOnPath">Whether a command can be found on PATH.</param>
internal sealed record HostToolchain(bool IsLinux, LinuxTarget? HostTarget, string NuGetPackages, string Usr, Func<string, bool> IsOnPath)
{
    public static HostToolchain Current { get; } = new(
        OperatingSystem.IsLinux(),
        RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => LinuxTarget.Arm64,
            System.Runtime.InteropServices.Architecture.X64 => LinuxTarget.X64,
            _ => null,
        },
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "/usr",
        IsCommandOnPath);

    /// <summary>Throws a <see cref="SynthesisException"/> listing every missing piece when this host cannot build <paramref name="target"/>.</summary>
    public void EnsureCanBuild(LinuxTarget target)
    {
        var missing = MissingFor(target);
        if (missing.Count == 0)
        {
            return;
        }
        var host = HostTarget is null ? RuntimeInformation.RuntimeIdentifier : HostTarget.Rid;
        var wayOut = HostTarget is not null && HostTarget != target
            ? $"Synthesize for this host's architecture instead: ./fn synth --arch {HostTarget.LambdaName} (cdk: -c arch={HostTarget.LambdaName}), or synthesize on a machine that has them."
            : "Install them (./fn setup installs clang and zlib) and synthesize again.";
        throw new SynthesisException(
            $"Cannot build the functions for {target.LambdaName} ({target.Rid}) with Native AOT on this {host} host; missing:{Environment.NewLine}"
            + string.Concat(missing.Select(m => $"  - {m}{Environment.NewLine}"))
            + wayOut);
    }

    public IReadOnlyList<string> MissingFor(LinuxTarget target)
    {
        if (!IsLinux)
        {
            return [$"a Linux host: Native AOT compiles for {target.Rid} only on Linux"];
        }
        var missing = new List<string>();
        if (!IsOnPath("clang"))
        {
            missing.Add("clang, the linker Native AOT drives (Debian/Ubuntu: apt-get install clang)");
        }
        if (HostTarget == target)
        {
            // The host's own ILCompiler package comes with a plain restore, and its libraries are the system's.
            return missing;
        }
        // Cross-compiling: the target's ILCompiler package, a GNU sysroot and cross binutils, and the target's zlib
        // (https://learn.microsoft.com/dotnet/core/deploying/native-aot/cross-compile).
        var package = $"runtime.{target.Rid}.Microsoft.DotNet.ILCompiler";
        var packageFolder = Path.Combine(NuGetPackages, package.ToLowerInvariant());
        if (!Directory.Exists(packageFolder) || Directory.GetDirectories(packageFolder).Length == 0)
        {
            missing.Add($"the NuGet package {package} (Native AOT's compiler for {target.Rid}): not in {NuGetPackages}; restore it from a feed that carries it with dotnet restore <project> -r {target.Rid}");
        }
        var sysroot = Path.Combine(Usr, target.GnuTriple);
        if (!Directory.Exists(sysroot) || !IsOnPath($"{target.GnuTriple}-ld"))
        {
            missing.Add($"an {target.GnuTriple} sysroot and cross linker ({sysroot}, {target.GnuTriple}-ld; Debian/Ubuntu: apt-get install gcc-{target.GnuTriple} binutils-{target.GnuTriple})");
        }
        var libraries = Path.Combine(Usr, "lib", target.GnuTriple);
        if (!File.Exists(Path.Combine(libraries, "libz.a")) && !File.Exists(Path.Combine(libraries, "libz.so")))
        {
            missing.Add($"zlib for {target.DebianArch} ({libraries}/libz.so; Debian/Ubuntu: dpkg --add-architecture {target.DebianArch} && apt-get install zlib1g-dev:{target.DebianArch})");
        }
        return missing;
    }

    private static bool IsCommandOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));
}
