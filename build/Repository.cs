namespace Functions.Build;

/// <summary>
/// Where things are in a Functions app (this repository, or one `dotnet new fn-api` made): found from FN_ROOT, the
/// working directory or the running assembly.
/// </summary>
public sealed record Repository(string Root)
{
    /// <summary>What marks an app's root: the CDK app's cdk.json beside the lambdas/ folder.</summary>
    public const string Marker = "cdk.json and lambdas/";

    public string Lambdas => Path.Combine(Root, "lambdas");
    public string Shared => Path.Combine(Root, FunctionInputs.SharedFolder);
    public string Infra => Path.Combine(Root, "infra");

    /// <summary>The CDK app's project: the one .csproj in infra/ (Functions.Infra.csproj here); null when there is none, or more than one.</summary>
    public string? InfraProject => Directory.Exists(Infra) && Directory.GetFiles(Infra, "*.csproj") is [var only] ? only : null;

    /// <summary>The toolkit's CDK constructs, which the CDK app in infra/ builds its stack with.</summary>
    public string Constructs => Path.Combine(Root, "constructs");
    public string Events => Path.Combine(Root, "events");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public string State => Path.Combine(Root, ".fn");
    public string NodeModules => Path.Combine(Root, "node_modules");

    /// <summary>The app's solution: the one .sln at its root (Functions.sln here); null when there is none, or more than one.</summary>
    public string? Solution => Directory.Exists(Root) && Directory.GetFiles(Root, "*.sln") is [var only] ? only : null;

    /// <summary>
    /// How a user runs the fn tool in this app, for the commands messages suggest: this repository's launcher script
    /// (./fn, at its root), or the local tool an app made by `dotnet new fn-api` restores (dotnet fn).
    /// </summary>
    public string Command => HasLauncher ? "./fn" : "dotnet fn";

    /// <summary>What installs the node tools fn runs (aws-cdk, dynalite, cdk-nag, AWS's SDK for JavaScript): the launcher's setup, or npm in an app.</summary>
    public string NodeSetup => HasLauncher ? "./fn setup" : "npm install";

    /// <summary>The command of the app the tool runs in (<see cref="Command"/>), dotnet fn outside any app.</summary>
    public static string CommandHere => TryLocate()?.Command ?? "dotnet fn";

    /// <summary>The node tools' install command of the app the tool runs in (<see cref="NodeSetup"/>), npm install outside any app.</summary>
    public static string NodeSetupHere => TryLocate()?.NodeSetup ?? "npm install";

    /// <summary>./fn setup, which installs everything the toolkit needs, when the tool runs in this repository; null in an app.</summary>
    public static string? SetupHere => TryLocate() is { HasLauncher: true } ? "./fn setup" : null;

    /// <summary>The way out when node itself cannot start: install it, then the app's node tools.</summary>
    public static string NodeInstallHere => SetupHere is { } setup ? $"Install Node.js ({setup})" : "Install Node.js, then run npm install";

    private bool HasLauncher => File.Exists(Path.Combine(Root, "fn"));

    /// <summary>A function's project folder: lambdas/&lt;Function&gt;, holding &lt;Function&gt;.csproj.</summary>
    public string ProjectFolder(string function) => Path.Combine(Lambdas, function);

    public string ProjectFile(string function) => Path.Combine(ProjectFolder(function), function + ".csproj");

    /// <summary>A function's name in event files: Items.Get -> items-get (events/items-get[.case].json).</summary>
    public static string EventName(string function) => function.ToLowerInvariant().Replace('.', '-');

    /// <summary>The function's own sample event: events/&lt;function-kebab&gt;.json.</summary>
    public string SampleEvent(string function) => Path.Combine(Events, EventName(function) + ".json");

    /// <summary>
    /// FN_ROOT (set by ./fn, inherited by the cdk app it starts), else the nearest app root (cdk.json beside lambdas/) above
    /// the working directory (cdk runs the app in the root), else above the running assembly (tests).
    /// </summary>
    public static Repository Locate() =>
        TryLocate() ?? throw new BuildException($"Cannot find a Functions app (a folder with {Marker}) above {Directory.GetCurrentDirectory()}: run fn in your app's folder (dotnet new fn-api makes one).");

    private static Repository? TryLocate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FN_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return new Repository(Path.GetFullPath(fromEnvironment));
        }
        return (FindAbove(Directory.GetCurrentDirectory()) ?? FindAbove(AppContext.BaseDirectory)) is { } root ? new Repository(root) : null;
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
            if (File.Exists(Path.Combine(dir.FullName, "cdk.json")) && Directory.Exists(Path.Combine(dir.FullName, "lambdas")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
