namespace Functions.Tools.Building;

/// <summary>Lambda's two architectures and the .NET runtime identifier each builds for.</summary>
public sealed record Architecture(string Name, string RuntimeIdentifier, string IlCompilerPackage)
{
    public static readonly Architecture X86_64 = new("x86_64", "linux-x64", "runtime.linux-x64.microsoft.dotnet.ilcompiler");
    public static readonly Architecture Arm64 = new("arm64", "linux-arm64", "runtime.linux-arm64.microsoft.dotnet.ilcompiler");

    public static Architecture Host => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture ==
        System.Runtime.InteropServices.Architecture.Arm64 ? Arm64 : X86_64;

    public static Architecture? Parse(string text) => text.ToLowerInvariant() switch
    {
        "x86_64" or "x64" or "amd64" => X86_64,
        "arm64" or "aarch64" => Arm64,
        _ => null,
    };

    /// <summary>
    /// Why Native AOT for this architecture cannot be built on this host, or null when it can: cross-compiling needs
    /// the target's ILCompiler package and, for arm64 on x64, an aarch64 sysroot and linker.
    /// </summary>
    public string? WhyAotCannotBuild()
    {
        if (this == Host)
        {
            return null;
        }
        var missing = new List<string>();
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (!Directory.Exists(Path.Combine(packages, IlCompilerPackage)))
        {
            missing.Add($"the NuGet package {IlCompilerPackage} (not in {packages} nor on this machine's feed)");
        }
        if (this == Arm64 && !Directory.Exists("/usr/aarch64-linux-gnu"))
        {
            missing.Add("an aarch64 sysroot and linker (Debian: gcc-aarch64-linux-gnu, /usr/aarch64-linux-gnu)");
        }
        return missing.Count == 0 ? null : $"Cannot build {Name} Native AOT binaries on this {Host.Name} machine: missing {string.Join(" and ", missing)}. Build for --arch {Host.Name} here, or build {Name} on a {Name} machine.";
    }
}
