using System.Security.Cryptography;
using System.Text;

namespace Functions.Tools.Building;

/// <summary>A hash of everything that goes into a function's binary, so unchanged inputs skip the build.</summary>
public static class InputsHash
{
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", "lambdas/Directory.Build.props"];

    public static string Compute(Repository repository, string functionName, params string[] salt)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in salt)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(part + "\n"));
        }
        var files = SourceFiles(Path.Combine(repository.Lambdas, functionName))
            .Concat(SourceFiles(repository.Shared))
            .Concat(BuildFiles.Select(f => Path.Combine(repository.Root, f)).Where(File.Exists))
            .Select(f => (Relative: Path.GetRelativePath(repository.Root, f).Replace('\\', '/'), Full: f))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (relative, full) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            hash.AppendData(File.ReadAllBytes(full));
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static IEnumerable<string> SourceFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(directory, f)));

    /// <summary>Whether a path relative to a project folder is under its bin/ or obj/: outputs, not inputs.</summary>
    internal static bool IsBuildOutput(string relative)
    {
        var first = relative.Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }
}
