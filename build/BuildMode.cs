namespace Functions.Build;

/// <summary>How a function is compiled; all three run as `bootstrap`, the way provided.al2023 starts them.</summary>
public enum BuildMode
{
    /// <summary>Native AOT: one native executable, no JIT at run time.</summary>
    Aot,
    /// <summary>Self-contained ReadyToRun: precompiled IL plus the runtime, JIT for what R2R misses.</summary>
    R2r,
    /// <summary>Self-contained, JIT only: what a plain `dotnet publish` gives.</summary>
    Jit,
}

public static class BuildModes
{
    public static string Name(this BuildMode mode) => mode.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out BuildMode mode) =>
        Enum.TryParse(text, ignoreCase: true, out mode) && Enum.IsDefined(mode);

    /// <summary>MSBuild properties that turn the AOT default of lambdas/Directory.Build.props into each mode.</summary>
    public static IReadOnlyList<string> PublishProperties(this BuildMode mode) => mode switch
    {
        BuildMode.Aot => ["-p:PublishAot=true"],
        BuildMode.R2r => ["-p:PublishAot=false", "-p:PublishReadyToRun=true", "--self-contained", "true"],
        _ => ["-p:PublishAot=false", "-p:PublishReadyToRun=false", "--self-contained", "true"],
    };
}
