using System.Xml.Linq;

namespace Functions.Build;

/// <summary>
/// The .NET the functions are compiled for. Directory.Build.props names the default (FunctionsTargetFramework) and
/// the build always passes the one it wants, so `./fn build`, the CDK app and a plain `dotnet publish` agree.
/// </summary>
public static class TargetFramework
{
    /// <summary>The property that carries it, in Directory.Build.props and on the dotnet command line.</summary>
    public const string Property = "FunctionsTargetFramework";

    /// <summary>.NET 10 is the default; .NET 8 stays for comparison (./fn bench --frameworks net8.0,net10.0).</summary>
    public static IReadOnlyList<string> Supported { get; } = ["net10.0", "net8.0"];

    /// <summary>The default from Directory.Build.props: the one truth about it.</summary>
    public static string Default(Repository repository)
    {
        var props = Path.Combine(repository.Root, "Directory.Build.props");
        var value = File.Exists(props)
            ? XDocument.Load(props).Descendants(Property).Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
            : null;
        return value ?? throw new BuildException($"{props} does not set {Property}: add <{Property}>net10.0</{Property}> to it.");
    }

    /// <summary>Null when the text names a framework the functions can be built for, else why not.</summary>
    public static string? Validate(string framework) => Supported.Contains(framework, StringComparer.Ordinal)
        ? null
        : $"{framework} is not a framework the functions build for: use {string.Join(" or ", Supported)}.";

    /// <summary>
    /// Why this framework cannot target this architecture, or null. .NET 8 left support on 2026-11-10, and the feed
    /// this repository restores from serves no linux-arm64 runtime pack for it (Microsoft.NETCore.App.Runtime.linux-arm64
    /// 8.0.x): it stays selectable for x86_64 only, to measure what the move to .NET 10 gained.
    /// </summary>
    public static string? WhyNotFor(string framework, Architecture architecture) =>
        framework == "net8.0" && architecture == Architecture.Arm64
            ? "net8.0 cannot target arm64 here: .NET 8 is out of support and its linux-arm64 runtime pack is not served by this "
              + "machine's NuGet feed. Build arm64 on net10.0 (the default), or use net8.0 with --arch x86_64."
            : null;
}
