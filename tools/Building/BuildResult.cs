namespace Functions.Tools.Building;

/// <summary>A built function: its folder (bootstrap and what it needs), the deployable zip, and whether work was done.</summary>
public sealed record BuildResult(string Function, BuildMode Mode, string Directory, string Bootstrap, string Zip, bool UpToDate, TimeSpan Elapsed);
