namespace Functions.Tools;

/// <summary>Where things are in this repository, found from the working directory or the tool's own location.</summary>
public sealed record Repository(string Root)
{
    public string Lambdas => Path.Combine(Root, "lambdas");
    public string Shared => Path.Combine(Root, "shared");
    public string Infra => Path.Combine(Root, "infra");
    public string Events => Path.Combine(Root, "events");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public string State => Path.Combine(Root, ".fn");
    public string NodeModules => Path.Combine(Root, "node_modules");

    /// <summary>The folder holding Functions.sln: FN_ROOT, else the nearest one above the working directory, else above the tool.</summary>
    public static Repository Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FN_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return new Repository(Path.GetFullPath(fromEnvironment));
        }
        return new Repository(FindAbove(Directory.GetCurrentDirectory()) ?? FindAbove(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Cannot find Functions.sln above the working directory; run ./fn from the repository."));
    }

    public IReadOnlyList<string> FunctionNames() =>
        Directory.Exists(Lambdas)
            ? Directory.GetDirectories(Lambdas)
                .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
