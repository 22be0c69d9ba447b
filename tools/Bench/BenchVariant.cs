namespace Functions.Tools.Bench;

/// <summary>
/// One way of building the functions that a bench run compares: a mode, on a framework. Its label is the build's
/// folder name: "aot" on the default framework, "aot-net8.0" on another, so the goals (which read "aot", "jit")
/// apply to the default framework and a framework comparison stays readable.
/// </summary>
public sealed record BenchVariant(BuildMode Mode, string? Framework, string Label)
{
    public static BenchVariant Of(Repository repository, BuildMode mode, string? framework)
    {
        var standard = TargetFramework.Default(repository);
        var chosen = framework ?? standard;
        return new BenchVariant(mode, chosen, BuildRequest.FlavourOf(mode, chosen, chosen == standard));
    }
}
