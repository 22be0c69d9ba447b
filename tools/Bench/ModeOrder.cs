using Functions.Tools.Building;

namespace Functions.Tools.Bench;

/// <summary>aot, r2r, jit: the order every table and chart lists the modes in, fastest start first.</summary>
internal static class ModeOrder
{
    private static readonly string[] Known = Enum.GetValues<BuildMode>().Select(m => m.Name()).ToArray();

    /// <summary>The mode's place in that order; any other mode ("logs") after them.</summary>
    public static int Rank(string mode)
    {
        var index = Array.FindIndex(Known, known => string.Equals(known, mode, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : Known.Length;
    }
}
