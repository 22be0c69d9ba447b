namespace Functions.Build;

/// <summary>One function built one way: the unit of `./fn build`, of a CDK asset, and of the input hash.</summary>
/// <param name="Function">The project folder name under lambdas/, e.g. Items.Get.</param>
/// <param name="Framework">A target framework from <see cref="TargetFramework.Supported"/>.</param>
/// <param name="IsDefaultFramework">Whether it is Directory.Build.props' default: its builds keep the short folder names.</param>
public sealed record BuildRequest(string Function, BuildMode Mode, Architecture Architecture, string Framework, bool IsDefaultFramework)
{
    /// <summary>The request for the default framework.</summary>
    public static BuildRequest For(Repository repository, string function, BuildMode mode, Architecture architecture, string? framework = null)
    {
        var standard = TargetFramework.Default(repository);
        return new BuildRequest(function, mode, architecture, framework ?? standard, (framework ?? standard) == standard);
    }

    /// <summary>Folder name of the mode: aot, or aot-net8.0 for a framework other than the default.</summary>
    public string Flavour => FlavourOf(Mode, Framework, IsDefaultFramework);

    /// <inheritdoc cref="Flavour"/>
    public static string FlavourOf(BuildMode mode, string framework, bool isDefaultFramework) =>
        isDefaultFramework ? mode.Name() : $"{mode.Name()}-{framework}";

    /// <summary>
    /// The dotnet publish arguments besides paths. Part of the input hash: a new recipe is a new binary, so changing the
    /// mode, the target or the framework never reuses a build or a deployed asset.
    /// </summary>
    public IReadOnlyList<string> PublishArguments =>
        ["-c", "Release", "-r", Architecture.RuntimeIdentifier, $"-p:{TargetFramework.Property}={Framework}", .. Mode.PublishProperties()];

    public override string ToString() => $"{Function} ({Flavour}, {Architecture.RuntimeIdentifier})";
}
