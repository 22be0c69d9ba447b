namespace Functions.Infra.NativeAot;

/// <summary>The folder holding Functions.sln: project paths in <see cref="NativeAotFunctionProps"/> are relative to it.</summary>
internal static class RepositoryRoot
{
    /// <summary>Nearest Functions.sln above the working directory (cdk runs the app in the repository root), else above this assembly (tests).</summary>
    public static string Locate() =>
        FindAbove(Directory.GetCurrentDirectory()) ?? FindAbove(AppContext.BaseDirectory)
        ?? throw new SynthesisException("Cannot find Functions.sln above the working directory: run the CDK app from the repository.");

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
