using System.Runtime.CompilerServices;

namespace Functions.Tests;

/// <summary>The repositories tests read: this checkout, and scratch ones written file by file.</summary>
internal static class TestRepositories
{
    /// <summary>
    /// The checkout these tests are in, found from this file's source path: a test run with --artifacts-path elsewhere
    /// has neither its working directory nor its binaries inside the repository.
    /// </summary>
    public static Repository ThisCheckout([CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return new Repository(dir.FullName);
            }
        }
        return Repository.Locate();
    }

    /// <summary>A repository at <paramref name="root"/> holding <paramref name="files"/> (paths relative to it).</summary>
    public static Repository Written(string root, params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return new Repository(root);
    }
}
