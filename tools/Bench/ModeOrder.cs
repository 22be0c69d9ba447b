
namespace Functions.Tools.Bench;

/// <summary>
/// aot, r2r, jit: the order every table and chart lists the modes in, fastest start first; a mode on another framework
/// (aot-net8.0) right after the same mode on the default one.
/// </summary>
internal static class ModeOrder
{
    private static readonly string[] Known = Enum.GetValues<BuildMode>().Select(m => m.Name()).ToArray();

    /// <summary>The mode's place in that order; any other mode ("logs") after them.</summary>
    public static int Rank(string mode)
    {
        var baseMode = mode.Split('-', 2)[0];
        var index = Array.FindIndex(Known, known => string.Equals(known, baseMode, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? Known.Length * 2 : index * 2 + (baseMode.Length == mode.Length ? 0 : 1);
    }
}
