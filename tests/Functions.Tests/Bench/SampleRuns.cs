using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

/// <summary>A small, fully known bench run for the writers: Hello in three modes and Items.Get in aot.</summary>
internal static class SampleRuns
{
    public static readonly IReadOnlyList<double> RpsLevels = [1, 100, 1000];

    /// <summary>What a shaped run says of its CPU at 128 MB.</summary>
    public const string Shaped = "Lambda-shaped, 7.2 % of a vCPU (cgroup v1)";

    public static ModeResult HelloAot { get; } = new("Hello", "aot", BootstrapBytes: 6_291_456, ZipBytes: 2_621_440, BuildSeconds: 41.3,
        [
            new ColdSample(12, 0.8, 11) { Phases = new(7, 3, 2) },
            new ColdSample(13, 0.9, 12) { Phases = new(8, 3, 2) },
            new ColdSample(15, 1.2, 12) { Phases = new(9, 4, 2) },
        ],
        [0.3, 0.4, 0.5, 0.35],
        PeakRssMb: 12) { MemorySizeMb = 128, Cpu = Shaped };

    public static ModeResult HelloR2r { get; } = new("Hello", "r2r", 73_400_320, 31_457_280, 20,
        [new ColdSample(80, 5, 40), new ColdSample(90, 6, 41), new ColdSample(95, 7, 42)],
        [0.6, 0.8, 0.7],
        PeakRssMb: null) { MemorySizeMb = 128, Cpu = Shaped };

    public static ModeResult HelloJit { get; } = new("Hello", "jit", 70_000_000, 30_000_000, 18,
        [new ColdSample(180, 25, 45), new ColdSample(200, 30, 46), new ColdSample(240, 35, 48)],
        [0.5, 0.7, 0.9],
        PeakRssMb: 48) { MemorySizeMb = 128, Cpu = Shaped };

    public static ModeResult ItemsGetAot { get; } = new("Items.Get", "aot", 9_000_000, 3_145_728, 44,
        [new ColdSample(16, 2, 14), new ColdSample(17, 2.5, 14), new ColdSample(30, 3, 15)],
        [1.1, 1.3, 1.2],
        PeakRssMb: null) { MemorySizeMb = 128, Cpu = Shaped };

    /// <summary>A function that streams: each warm invocation's first byte beside its total.</summary>
    public static ModeResult ExportAot { get; } = new("Items.Export", "aot", 8_000_000, 3_500_000, 40,
        [new ColdSample(18, 4, 16)],
        [30, 40, 50],
        PeakRssMb: null) { MemorySizeMb = 256, Cpu = Shaped, WarmFirstByteMs = [2, 3, 4] };

    public static BenchRun Run(params ModeResult[] extra)
    {
        IReadOnlyList<ModeResult> results = [HelloAot, HelloR2r, HelloJit, ItemsGetAot, .. extra];
        var costs = results
            .Select(r => CostInput.From(r, "x86_64", r.MemorySizeMb!.Value))
            .OfType<CostInput>()
            .Select(input => CostModel.Compute(input, TestPrices.UsEast1, 0.01, RpsLevels))
            .ToList();
        return new BenchRun(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), "test-machine (x64, 2 cores)",
            results, costs, 0.01, RpsLevels, "2025-08-01");
    }
}
