namespace Functions.Build;

/// <summary>A built function: its folder (bootstrap and what it needs), the deployable zip (not written when the build was asked for none), and whether work was done.</summary>
public sealed record BuildResult(BuildRequest Request, string Directory, string Bootstrap, string Zip, bool UpToDate, TimeSpan Elapsed)
{
    public string Function => Request.Function;

    public BuildMode Mode => Request.Mode;
}
