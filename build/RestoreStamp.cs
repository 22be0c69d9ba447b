namespace Functions.Build;

/// <summary>
/// Whether a function's NuGet restore can be skipped: restore reads only project and build files, so after a restore
/// for the same recipe (architecture, framework, mode) and the same project files, an edit to code needs none. A
/// no-op restore still costs about a second of an edit's rebuild (MSBuild evaluates every project for it).
/// </summary>
internal sealed class RestoreStamp(Repository repository, BuildRequest request)
{
    /// <summary>
    /// What dotnet says when the restore state under the intermediate folder does not fit the build after all, e.g.
    /// another architecture's build of a shared library restored it since: the build is run again with a restore.
    /// </summary>
    private static readonly string[] StaleRestoreCodes = ["NETSDK1004", "NETSDK1005", "NETSDK1047", "NETSDK1064"];

    private readonly string _inputs = FunctionInputs.RestoreHash(repository, request);

    private string Folder => Path.Combine(repository.State, "build", request.Flavour, "obj", request.Function);

    private string File => Path.Combine(Folder, "fn-restore.sha256");

    /// <summary>True when the last successful publish restored exactly these inputs for this recipe.</summary>
    public bool IsCurrent =>
        System.IO.File.Exists(Path.Combine(Folder, "project.assets.json")) && System.IO.File.Exists(File) && System.IO.File.ReadAllText(File) == _inputs;

    /// <summary>Called after a publish that restored (or found the restore current) succeeded.</summary>
    public void Record() => System.IO.File.WriteAllText(File, _inputs);

    public static bool WasStale(string publishOutput) => StaleRestoreCodes.Any(code => publishOutput.Contains(code, StringComparison.Ordinal));
}
