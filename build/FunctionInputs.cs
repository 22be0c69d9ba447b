using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Functions.Build;

/// <summary>
/// Everything that goes into a function's binary, and its hash: `./fn build` skips a build whose hash it already
/// built, and the CDK app uses the same hash as the function's asset hash, so an unchanged function is neither rebuilt
/// nor uploaded again, and the two can never disagree about what changed.
/// </summary>
public static class FunctionInputs
{
    /// <summary>The folder of the libraries every function links; any change there rebuilds every function.</summary>
    public const string SharedFolder = "shared";

    /// <summary>The files MSBuild, NuGet and the SDK pick up from a project's folder upwards.</summary>
    private static readonly HashSet<string> BuildFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config",
    };

    /// <summary>The hash of the recipe and of every input file's path and content, as lowercase hex.</summary>
    public static string Hash(Repository repository, BuildRequest request) => HashOf(repository, request, Files(repository, request.Function));

    /// <summary>
    /// The hash of what NuGet restore reads: the recipe and the project and build files among the inputs (not code).
    /// </summary>
    public static string RestoreHash(Repository repository, BuildRequest request) =>
        HashOf(repository, request, Files(repository, request.Function).Where(IsRestoreInput));

    private static string HashOf(Repository repository, BuildRequest request, IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join(' ', request.PublishArguments) + "\n"));
        foreach (var relative in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(repository.Root, relative))));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static bool IsRestoreInput(string relative) =>
        BuildFiles.Contains(Path.GetFileName(relative))
        || Path.GetExtension(relative) is ".csproj" or ".props" or ".targets";

    /// <summary>The input files relative to the root, '/'-separated and sorted, so clones in other places agree.</summary>
    public static IReadOnlyList<string> Files(Repository repository, string function)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in new[] { repository.ProjectFolder(function), Path.Combine(repository.Root, SharedFolder) })
        {
            if (Directory.Exists(folder))
            {
                AddTree(repository.Root, folder, files);
                AddBuildFilesAbove(repository.Root, folder, files);
            }
        }
        AddImports(repository.Root, files);
        return [.. files];
    }

    /// <summary>How ./fn bench runs a function (tools/Bench/BenchDeclaration.cs): beside its code, not part of its build.</summary>
    public const string BenchFile = "bench.json";

    /// <summary>
    /// Whether a path (relative to a project folder or the root) is not a build input: bin/ and obj/ are outputs,
    /// hidden files and folders are editors' and tools' (.vs, .#lock files), and Markdown and the bench declaration
    /// never reach the compiler.
    /// </summary>
    public static bool IsIgnored(string relative)
    {
        var parts = relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Any(p => p is "bin" or "obj" || p.StartsWith('.'))
            || relative.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
            || parts.LastOrDefault() == BenchFile;
    }

    private static void AddTree(string root, string folder, SortedSet<string> files)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            // A dangling link (an editor's lock file) has no content to hash.
            if (!IsIgnored(Path.GetRelativePath(folder, file)) && File.Exists(file))
            {
                files.Add(Relative(root, file));
            }
        }
    }

    private static void AddBuildFilesAbove(string root, string folder, SortedSet<string> files)
    {
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        for (var dir = new DirectoryInfo(folder).Parent; dir is not null; dir = dir.Parent)
        {
            foreach (var file in dir.EnumerateFiles().Where(f => BuildFiles.Contains(f.Name)))
            {
                files.Add(Relative(root, file.FullName));
            }
            if (string.Equals(dir.FullName.TrimEnd(Path.DirectorySeparatorChar), top, StringComparison.Ordinal))
            {
                break;
            }
        }
    }

    /// <summary>
    /// The files the build files import by a path of their own (Directory.Build.props imports Pack.props, whose version
    /// every assembly carries), followed until nothing new turns up; imports through other properties (the SDK's,
    /// GetPathOfFileAbove's) name files that are either outside the app or among the inputs already.
    /// </summary>
    private static void AddImports(string root, SortedSet<string> files)
    {
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var pending = new Queue<string>(files.Where(IsRestoreInput));
        while (pending.TryDequeue(out var relative))
        {
            var file = Path.Combine(root, relative);
            XDocument project;
            try
            {
                project = XDocument.Load(file);
            }
            catch (System.Xml.XmlException)
            {
                continue; // MSBuild says what is wrong with it when it builds; its content is hashed either way.
            }
            var folder = Path.GetDirectoryName(file)! + Path.DirectorySeparatorChar;
            foreach (var import in project.Descendants().Where(e => e.Name.LocalName == "Import"))
            {
                var path = import.Attribute("Project")?.Value.Replace("$(MSBuildThisFileDirectory)", folder, StringComparison.Ordinal);
                if (path is null || path.Contains("$(", StringComparison.Ordinal))
                {
                    continue;
                }
                var full = Path.GetFullPath(Path.Combine(folder, path));
                if (full.StartsWith(top, StringComparison.Ordinal) && File.Exists(full) && files.Add(Relative(root, full)))
                {
                    pending.Enqueue(Relative(root, full));
                }
            }
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
