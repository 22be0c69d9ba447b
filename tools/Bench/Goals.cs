using System.Globalization;

namespace Functions.Tools.Bench;

/// <summary>One goal for one function: the measured figure against its target, in <see cref="Unit"/> (lower is better).</summary>
public sealed record GoalCheck(string Goal, string Function, double Measured, double Target, bool Met)
{
    public string Unit { get; init; } = "ms";

    /// <summary>"met", or "missed by 12.3 ms": how far from the target, in the goal's own unit.</summary>
    public string Outcome => Met ? "met" : $"missed by {(Measured - Target).ToString("0.##", CultureInfo.InvariantCulture)} {Unit}";
}

/// <summary>
/// What this project promises about Native AOT, checked against measurements and reported, never asserted: timings
/// depend on the machine, so a miss is news for the pull request, not a failed build. A goal whose inputs were not
/// measured (only aot was run, no Hello, sizes unknown) is left out rather than reported as met.
/// </summary>
public static class Goals
{
    public const string ColdVersusJit = "AOT cold total p50 ≤ JIT's / 10";
    public const string ColdVersusR2r = "AOT cold total p50 ≤ ReadyToRun's / 3";
    public const string InitVersusHello = "AOT init p50 ≤ 1.5 × Hello's";
    public const string PeakRss = "AOT peak RSS ≤ 20 MB";
    public const string ZipSize = "AOT zip ≤ 5 MB";
    public const string WarmVersusJit = "AOT warm p50 ≤ JIT's";

    private const string Baseline = "Hello";
    private const double MaxPeakRssMb = 20;
    private const double MaxZipMb = 5;
    private const double BytesPerMb = 1024 * 1024;

    public static IReadOnlyList<GoalCheck> Evaluate(IReadOnlyList<ModeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var checks = new List<GoalCheck>();
        var helloInit = Find(results, Baseline, "aot")?.ColdInit?.P50;
        foreach (var aot in results.Where(r => IsMode(r, "aot")))
        {
            var jit = Find(results, aot.Function, "jit");
            var r2r = Find(results, aot.Function, "r2r");
            AddAtMost(checks, ColdVersusJit, aot.Function, aot.ColdTotal?.P50, jit?.ColdTotal?.P50 / 10, "ms");
            AddAtMost(checks, ColdVersusR2r, aot.Function, aot.ColdTotal?.P50, r2r?.ColdTotal?.P50 / 3, "ms");
            if (!string.Equals(aot.Function, Baseline, StringComparison.OrdinalIgnoreCase))
            {
                AddAtMost(checks, InitVersusHello, aot.Function, aot.ColdInit?.P50, helloInit * 1.5, "ms");
            }
            AddAtMost(checks, PeakRss, aot.Function, aot.PeakRss, MaxPeakRssMb, "MB");
            AddAtMost(checks, ZipSize, aot.Function, aot.ZipBytes > 0 ? aot.ZipBytes / BytesPerMb : null, MaxZipMb, "MB");
            AddAtMost(checks, WarmVersusJit, aot.Function, aot.Warm?.P50, jit?.Warm?.P50, "ms");
        }
        return checks;
    }

    private static void AddAtMost(List<GoalCheck> checks, string goal, string function, double? measured, double? target, string unit)
    {
        if (measured is { } m && target is { } t)
        {
            checks.Add(new GoalCheck(goal, function, m, t, m <= t) { Unit = unit });
        }
    }

    private static ModeResult? Find(IReadOnlyList<ModeResult> results, string function, string mode) =>
        results.FirstOrDefault(r => string.Equals(r.Function, function, StringComparison.OrdinalIgnoreCase) && IsMode(r, mode));

    private static bool IsMode(ModeResult result, string mode) => string.Equals(result.Mode, mode, StringComparison.OrdinalIgnoreCase);
}
