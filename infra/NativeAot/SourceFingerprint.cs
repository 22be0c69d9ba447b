using System.Security.Cryptography;
using System.Text;

namespace Functions.Infra.NativeAot;

/// <summary>
/// The asset hash of a function: everything that goes into its binary, so that a change to shared/ redeploys every
/// function and an unchanged function keeps its hash (CDK neither rebuilds nor re-uploads it). Issue 3.
/// </summary>
internal static class SourceFingerprint
{
    /// <summary>The build files MSBuild and the SDK pick up from the project folder upwards.</summary>
    private static readonly string[] BuildFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    /// <summary>Build output, not source: it changes on every build and never feeds the published binary by itself.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj" };

    /// <param name="root">The repository root; paths are hashed relative to it, so clones in other places agree.</param>
    /// <param name="sourceFolders">The function's project folder and the libraries it references, relative to the root.</param>
    /// <param name="recipe">How the sources become the binary (target, publish arguments): a new recipe is a new binary.</param>
    public static string Compute(string root, IReadOnlyList<string> sourceFolders, string recipe)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in sourceFolders)
        {
            AddTree(root, Path.Combine(root, folder), files);
        }
        foreach (var folder in sourceFolders)
        {
            AddBuildFilesAbove(root, Path.Combine(root, folder), files);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(recipe + "\n"));
        foreach (var relative in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, relative))));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AddTree(string root, string folder, SortedSet<string> files)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            files.Add(Relative(root, file));
        }
        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            if (!SkippedFolders.Contains(Path.GetFileName(child)))
            {
                AddTree(root, child, files);
            }
        }
    }

    private static void AddBuildFilesAbove(string root, string folder, SortedSet<string> files)
    {
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        for (var dir = new DirectoryInfo(folder).Parent; dir is not null; dir = dir.Parent)
        {
            foreach (var name in BuildFiles)
            {
                var path = Path.Combine(dir.FullName, name);
                if (File.Exists(path))
                {
                    files.Add(Relative(root, path));
                }
            }
            if (string.Equals(dir.FullName.TrimEnd(Path.DirectorySeparatorChar), top, StringComparison.Ordinal))
            {
                break;
            }
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
