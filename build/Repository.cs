namespace Functions.Build;

/// <summary>Where things are in this repository, found from FN_ROOT, the working directory or the running assembly.</summary>
public sealed record Repository(string Root)
{
    /// <summary>The file that marks the root.</summary>
    public const string Marker = "Functions.sln";

    public string Lambdas => Path.Combine(Root, "lambdas");
    public string Shared => Path.Combine(Root, FunctionInputs.SharedFolder);
    public string Infra => Path.Combine(Root, "infra");

    /// <summary>The toolkit's CDK constructs, which the CDK app in infra/ builds its stack with.</summary>
    public string Constructs => Path.Combine(Root, "constructs");
    public string Events => Path.Combine(Root, "events");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public string State => Path.Combine(Root, ".fn");
    public string NodeModules => Path.Combine(Root, "node_modules");

    /// <summary>A function's project folder: lambdas/&lt;Function&gt;, holding &lt;Function&gt;.csproj.</summary>
    public string ProjectFolder(string function) => Path.Combine(Lambdas, function);

    public string ProjectFile(string function) => Path.Combine(ProjectFolder(function), function + ".csproj");

    /// <summary>A function's name in event files: Items.Get -> items-get (events/items-get[.case].json).</summary>
    public static string EventName(string function) => function.ToLowerInvariant().Replace('.', '-');

    /// <summary>The function's own sample event: events/&lt;function-kebab&gt;.json.</summary>
    public string SampleEvent(string function) => Path.Combine(Events, EventName(function) + ".json");

    /// <summary>
    /// FN_ROOT (set by ./fn, inherited by the cdk app it starts), else the nearest folder holding Functions.sln above the
    /// working directory (cdk runs the app in the root), else above the running assembly (tests).
    /// </summary>
    public static Repository Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FN_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return new Repository(Path.GetFullPath(fromEnvironment));
        }
        return new Repository(FindAbove(Directory.GetCurrentDirectory()) ?? FindAbove(AppContext.BaseDirectory)
            ?? throw new BuildException($"Cannot find {Marker} above the working directory: run ./fn (or cdk) from the repository."));
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
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
