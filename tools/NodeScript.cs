namespace Functions.Tools;

/// <summary>
/// A Node.js script of the tool's (built in as a resource), written to the repository's .fn/ where node resolves its
/// packages from the repository's node_modules; rewritten only when it changed.
/// </summary>
public static class NodeScript
{
    /// <summary>Whether the app's node_modules holds every one of the packages (npm install, ./fn setup here, puts them there).</summary>
    public static bool Installed(Repository repository, params string[] packages)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return packages.All(package => File.Exists(Path.Combine(repository.NodeModules, package, "package.json")));
    }

    public static string Write(Repository repository, string name)
    {
        ArgumentNullException.ThrowIfNull(repository);
        using var resource = typeof(NodeScript).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The tool was built without its {name} resource.");
        using var reader = new StreamReader(resource);
        var text = reader.ReadToEnd();
        var path = Path.Combine(repository.State, name);
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            // Whole or not at all: another verb (or test) may be starting node on the same file.
            Directory.CreateDirectory(repository.State);
            var partial = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(partial, text);
            File.Move(partial, path, overwrite: true);
        }
        return path;
    }
}
