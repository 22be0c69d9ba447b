namespace Functions.Tests.Cli;

/// <summary>
/// A copy of the repository's tracked files in a temporary folder (node_modules linked, not copied), for tests that
/// change sources: ./fn runs in it with FN_ROOT set to it, and this checkout is never touched.
/// </summary>
internal static class RepositoryCopy
{
    public static DirectoryInfo Create(string prefix)
    {
        var repository = Repository.Locate();
        var copy = Directory.CreateTempSubdirectory(prefix);
        var files = ProcessRunner.RunAsync("git", ["ls-files"], repository.Root).GetAwaiter().GetResult().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files.Where(f => File.Exists(Path.Combine(repository.Root, f))))
        {
            var target = Path.Combine(copy.FullName, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(repository.Root, file), target);
        }
        Directory.CreateSymbolicLink(Path.Combine(copy.FullName, "node_modules"), repository.NodeModules);
        return copy;
    }
}
