namespace Functions.Build;

/// <summary>A piece this machine lacks, and the Debian package that brings it.</summary>
/// <param name="What">What is missing, as a person would look for it.</param>
/// <param name="AptPackage">The Debian/Ubuntu package (with :arch for a foreign architecture).</param>
public sealed record MissingPiece(string What, string AptPackage);

/// <summary>
/// What this machine needs to build and to run each architecture, checked before any work so that a host that lacks
/// a piece fails at once, naming the piece and the command that installs it. `./fn setup` installs the
/// same packages (the fn script's missing_apt_packages keeps its list in step with this one).
/// </summary>
/// <param name="IsLinux">Native AOT does not cross operating systems: linux-* binaries need a Linux host.</param>
/// <param name="Host">The architecture of this machine (null: one Lambda has not).</param>
/// <param name="Usr">Where sysroots (usr/&lt;triple&gt;), multiarch libraries (usr/lib/&lt;triple&gt;) and headers live.</param>
/// <param name="Root">The file system root, where a foreign architecture's dynamic loader is installed.</param>
/// <param name="IsOnPath">Whether a command can be found on PATH.</param>
public sealed record Toolchain(bool IsLinux, Architecture? Host, string Usr, string Root, Func<string, bool> IsOnPath)
{
    public static Toolchain Current { get; } = new(OperatingSystem.IsLinux(), Architecture.Host, "/usr", "/", IsCommandOnPath);

    /// <summary>What building for <paramref name="target"/> in <paramref name="mode"/> needs that this machine lacks.</summary>
    public IReadOnlyList<MissingPiece> MissingToBuild(BuildMode mode, Architecture target)
    {
        if (mode != BuildMode.Aot)
        {
            // ReadyToRun and JIT builds are managed code plus the runtime pack from NuGet: nothing native to link.
            return [];
        }
        if (!IsLinux)
        {
            return [new MissingPiece($"a Linux host: Native AOT compiles for {target.RuntimeIdentifier} only on Linux", "-")];
        }
        var missing = new List<MissingPiece>();
        if (!IsOnPath("clang"))
        {
            missing.Add(new("clang, the linker Native AOT drives", "clang"));
        }
        if (target == Host)
        {
            if (!File.Exists(Path.Combine(Usr, "include", "zlib.h")))
            {
                missing.Add(new("zlib's headers and library (Native AOT links libz)", "zlib1g-dev"));
            }
            return missing;
        }
        // Cross-compiling (https://learn.microsoft.com/dotnet/core/deploying/native-aot/cross-compile): clang targets the
        // other triple with GCC's cross crt files and libgcc, the target's glibc, cross binutils to strip symbols
        // (lambdas/Directory.Build.props sets ObjCopyName), and the target's zlib. The ILCompiler package comes with restore.
        var triple = target.GnuTriple;
        if (!Directory.Exists(Path.Combine(Usr, "lib", "gcc-cross", triple)))
        {
            missing.Add(new($"GCC's {triple} cross support (crt files, libgcc)", $"gcc-{triple}"));
        }
        if (!IsOnPath($"{triple}-objcopy") || !IsOnPath($"{triple}-ld"))
        {
            missing.Add(new($"{triple} binutils ({triple}-objcopy, {triple}-ld)", $"binutils-{triple}"));
        }
        if (!File.Exists(Path.Combine(Usr, triple, "lib", "libc.so")))
        {
            missing.Add(new($"the {triple} sysroot ({Path.Combine(Usr, triple)})", $"libc6-dev-{target.DebianArch}-cross"));
        }
        var libraries = Path.Combine(Usr, "lib", triple);
        if (!File.Exists(Path.Combine(libraries, "libz.a")) && !File.Exists(Path.Combine(libraries, "libz.so")))
        {
            missing.Add(new($"zlib for {target.DebianArch} ({libraries}/libz.so)", $"zlib1g-dev:{target.DebianArch}"));
        }
        return missing;
    }

    /// <summary>
    /// What running <paramref name="target"/>'s executables here needs. On another architecture: Debian's qemu-user, and
    /// the target's own glibc installed as a foreign architecture (libc6:arm64, which zlib1g-dev:arm64 brings). Measured
    /// with qemu-aarch64 7.2: with that glibc, dynamically linked threaded programs (our bootstraps among them) run;
    /// with the cross toolchain's glibc (qemu -L /usr/aarch64-linux-gnu, libc6-arm64-cross) they spin at 100 % CPU
    /// forever, so the emulator is never pointed there. libssl3 is the OpenSSL the AWS SDK loads for SigV4.
    /// </summary>
    public IReadOnlyList<MissingPiece> MissingToRun(Architecture target)
    {
        if (target == Host)
        {
            return [];
        }
        if (!IsLinux)
        {
            return [new MissingPiece($"a Linux host: {target.Name} Lambda executables run only on Linux", "-")];
        }
        var missing = new List<MissingPiece>();
        if (!IsOnPath(target.Emulator))
        {
            missing.Add(new($"{target.Emulator}, the user-mode emulator", "qemu-user"));
        }
        if (!File.Exists(Path.Combine(Root, target.Interpreter.TrimStart('/'))))
        {
            missing.Add(new($"the {target.DebianArch} glibc ({target.Interpreter})", $"libc6:{target.DebianArch}"));
        }
        if (!File.Exists(Path.Combine(Usr, "lib", target.GnuTriple, "libssl.so.3")))
        {
            missing.Add(new($"OpenSSL for {target.DebianArch} (the AWS SDK signs requests with it)", $"libssl3:{target.DebianArch}"));
        }
        return missing;
    }

    /// <summary>Throws a <see cref="BuildException"/> naming every missing piece and how to install them.</summary>
    public void EnsureCanBuild(BuildRequest request)
    {
        if (TargetFramework.WhyNotFor(request.Framework, request.Architecture) is { } why)
        {
            throw new BuildException(why);
        }
        Ensure(MissingToBuild(request.Mode, request.Architecture),
            $"Cannot build {request.Architecture.Name} ({request.Architecture.RuntimeIdentifier}) functions with {DescribeMode(request.Mode)} on this {HostName} machine",
            request.Architecture);
    }

    /// <summary>Throws a <see cref="BuildException"/> when this machine cannot run the architecture's bootstraps.</summary>
    public void EnsureCanRun(Architecture target) =>
        Ensure(MissingToRun(target), $"Cannot run {target.Name} functions on this {HostName} machine", target);

    /// <summary>The one-line way out: ./fn setup in this repository, and the exact apt commands for someone who is not root or works in an app.</summary>
    public static string InstallCommand(IReadOnlyList<MissingPiece> missing)
    {
        var packages = missing.Select(m => m.AptPackage).Where(p => p != "-").Distinct().ToList();
        if (packages.Count == 0)
        {
            return "";
        }
        var foreign = packages.Where(p => p.Contains(':', StringComparison.Ordinal)).Select(p => p.Split(':')[1]).Distinct().ToList();
        var steps = foreign.Select(arch => $"sudo dpkg --add-architecture {arch}").ToList();
        steps.Add("sudo apt-get update");
        steps.Add($"sudo apt-get install -y {string.Join(' ', packages)}");
        return Repository.SetupHere is { } setup
            ? $"Install with {setup} (as root on Debian/Ubuntu), or: {string.Join(" && ", steps)}"
            : $"Install with: {string.Join(" && ", steps)}";
    }

    private string HostName => Host?.Name ?? System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString();

    private void Ensure(IReadOnlyList<MissingPiece> missing, string what, Architecture target)
    {
        if (missing.Count == 0)
        {
            return;
        }
        var wayOut = Host is { } host && host != target ? $"{Environment.NewLine}Or use this machine's architecture: --arch {host.Name}." : "";
        throw new BuildException($"{what}; missing:{Environment.NewLine}"
            + string.Concat(missing.Select(m => $"  - {m.What}{(m.AptPackage == "-" ? "" : $" (apt package {m.AptPackage})")}{Environment.NewLine}"))
            + InstallCommand(missing) + wayOut);
    }

    private static string DescribeMode(BuildMode mode) => mode == BuildMode.Aot ? "Native AOT" : mode.Name();

    private static bool IsCommandOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));
}
