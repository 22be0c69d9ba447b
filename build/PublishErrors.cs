using System.Text.RegularExpressions;

namespace Functions.Build;

/// <summary>
/// Turns what a failed dotnet publish printed into what the user should read: a missing NuGet package becomes one line
/// naming it and the feed problem (the issue-10 report: a NuGet error list, then a stack trace), and the rest keeps
/// only the error lines, without MSBuild's repetition.
/// </summary>
public static partial class PublishErrors
{
    public static string Explain(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var missingPackages = lines.Select(l => MissingPackage().Match(l)).Where(m => m.Success)
            .Select(m => m.Groups["package"].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (missingPackages.Count > 0)
        {
            return $"NuGet cannot restore {string.Join(", ", missingPackages)}: the configured feeds do not serve "
                + (missingPackages.Count == 1 ? "it" : "them") + " (check NuGet.config and the feed, or build another architecture or framework).";
        }
        var errors = lines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
        return errors.Count > 0 ? string.Join('\n', errors) : output;
    }

    // NU1101: Unable to find package X. NU1102: Unable to find package X with version (>= 8.0.1).
    [GeneratedRegex(@"error NU110[12]: Unable to find package (?<package>[A-Za-z0-9_.\-]+)")]
    private static partial Regex MissingPackage();
}
