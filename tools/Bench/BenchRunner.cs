using Functions.Tools.Instances;
using Functions.Tools.Local;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Template;

namespace Functions.Tools.Bench;

/// <summary>
/// Measures functions the way Lambda would see them, through the Runtime API emulator, against an in-memory dynalite
/// holding each function's fixture items (its bench.json), so reads, updates and deletes hit real items. Variants (mode x framework) are interleaved round by round, so
/// whatever else the machine is doing hits every variant alike.
/// </summary>
internal sealed class BenchRunner(Repository repository, IReadOnlyList<FunctionBench> declared, Action<string> progress, IReadOnlyDictionary<string, string>? environment = null)
{
    /// <summary>The architecture the functions are built for and run as; another than the host's runs under its emulator.</summary>
    public Architecture Architecture { get; init; } = Architecture.HostOrX86_64;

    /// <summary>--cpu: instances Lambda-shaped (cgroups) or on the host's CPU.</summary>
    public Limits.CpuMode Cpu { get; init; } = Limits.CpuMode.Lambda;

    /// <summary>What shaped the figures, once the run has started: "Lambda-shaped (cgroup v1)" or "host, not shaped".</summary>
    public string? Shaping { get; private set; }

    public async Task<IReadOnlyList<ModeResult>> RunAsync(IReadOnlyList<string> names, IReadOnlyList<BenchVariant> modes, int coldRuns, int warmRuns, CancellationToken cancellationToken)
    {
        var template = await new TemplateSource(repository).LoadAsync(cancellationToken).ConfigureAwait(false);
        var functions = names.Select(name => template.Function(name)
            ?? throw new BenchException($"There is no function {name} in the CDK app. Functions: {string.Join(", ", template.Functions.Select(f => f.Name))}.")).ToList();
        // Before any build: a missing sample event stops the run in a second, not minutes.
        var events = new BenchEvents(repository);
        var benches = declared.Where(f => names.Contains(f.Name)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var function in functions)
        {
            events.For(function.Name);
        }
        await using var session = await LocalSession.StartAsync(repository, template, functions, new LocalOptions(BuildMode.Aot, InMemory: true, ExtraEnvironment: environment) { Architecture = Architecture, Cpu = Cpu }, cancellationToken).ConfigureAwait(false);
        progress(session.Limits.Describe());
        Shaping = session.Limits.IsShaped ? $"CPU Lambda-shaped (cgroup v{session.Limits.Version})" : "CPU host, not shaped";

        var specs = new Dictionary<(string, BenchVariant), (FunctionSpec Spec, BuildResult Build)>();
        foreach (var function in functions)
        {
            foreach (var mode in modes)
            {
                progress($"build {function.Name} ({mode.Label})");
                specs[(function.Name, mode)] = await session.PrepareBuildAsync(function, null, cancellationToken, mode.Mode, framework: mode.Framework).ConfigureAwait(false);
            }
        }

        using var fixtures = new FixtureRestorer(session.DynamoDbEndpoint);
        async Task<InvocationReport> InvokeAsync(FunctionInstance instance, string function, FunctionSpec spec)
        {
            if (benches.TryGetValue(function, out var bench))
            {
                await fixtures.RestoreAsync(bench, spec, cancellationToken).ConfigureAwait(false);
            }
            return await InvokeCheckedAsync(instance, function, events.For(function), cancellationToken).ConfigureAwait(false);
        }
        var cold = specs.Keys.ToDictionary(k => k, _ => new List<ColdSample>());
        for (var round = 0; round < coldRuns; round++)
        {
            progress($"cold start {round + 1}/{coldRuns}");
            foreach (var function in functions)
            {
                // Rotated each round: no mode always runs first, right after another function's processes.
                foreach (var mode in Rotate(modes, round))
                {
                    var spec = specs[(function.Name, mode)].Spec;
                    await using var instance = await FunctionInstance.StartAsync(spec, session.RuntimeApi, _ => { });
                    var report = await InvokeAsync(instance, function.Name, spec).ConfigureAwait(false);
                    cold[(function.Name, mode)].Add(new ColdSample(report.InitDurationMs ?? 0, report.DurationMs, report.MaxMemoryUsedMb ?? 0) { Phases = report.InitPhases });
                }
            }
        }

        var warm = specs.Keys.ToDictionary(k => k, _ => new List<double>());
        var firstBytes = specs.Keys.ToDictionary(k => k, _ => new List<double>());
        var peaks = new Dictionary<(string, BenchVariant), int>();
        foreach (var function in functions)
        {
            progress($"warm {function.Name}: {warmRuns} invocations per mode");
            var instances = new Dictionary<BenchVariant, FunctionInstance>();
            try
            {
                foreach (var mode in modes)
                {
                    instances[mode] = await FunctionInstance.StartAsync(specs[(function.Name, mode)].Spec, session.RuntimeApi, _ => { });
                    await InvokeAsync(instances[mode], function.Name, specs[(function.Name, mode)].Spec).ConfigureAwait(false);
                }
                for (var i = 0; i < warmRuns; i++)
                {
                    foreach (var mode in Rotate(modes, i))
                    {
                        var report = await InvokeAsync(instances[mode], function.Name, specs[(function.Name, mode)].Spec).ConfigureAwait(false);
                        warm[(function.Name, mode)].Add(report.DurationMs);
                        if (report.FirstByteMs is { } firstByte)
                        {
                            firstBytes[(function.Name, mode)].Add(firstByte);
                        }
                        peaks[(function.Name, mode)] = Math.Max(peaks.GetValueOrDefault((function.Name, mode)), report.MaxMemoryUsedMb ?? 0);
                    }
                }
            }
            finally
            {
                foreach (var instance in instances.Values)
                {
                    await instance.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        return specs.Select(pair =>
        {
            var ((function, mode), (_, build)) = pair;
            var peak = Math.Max(peaks.GetValueOrDefault((function, mode)), cold[(function, mode)].Select(s => s.PeakRssMb).DefaultIfEmpty(0).Max());
            var memoryMb = specs[(function, mode)].Spec.MemoryMb;
            return new ModeResult(function, mode.Label, PackageBytes(build.Directory), new FileInfo(build.Zip).Length,
                build.Elapsed > TimeSpan.Zero ? build.Elapsed.TotalSeconds : FunctionBuilder.LastBuildSeconds(build.Directory),
                cold[(function, mode)], warm[(function, mode)], peak > 0 ? peak : null)
            {
                MemorySizeMb = memoryMb,
                Cpu = CpuOf(session.Limits, memoryMb),
                WarmFirstByteMs = firstBytes[(function, mode)],
            };
        }).ToList();
    }

    private static async Task<InvocationReport> InvokeCheckedAsync(FunctionInstance instance, string function, byte[] payload, CancellationToken cancellationToken) =>
        MeasuredInvocation.EnsureSucceeded(await instance.InvokeAsync(payload, cancellationToken: cancellationToken).ConfigureAwait(false), function);

    /// <summary>What the figures at <paramref name="memoryMb"/> ran on: shaped to it, the host's whole CPU, or an emulator.</summary>
    private string CpuOf(Limits.ResourceLimits limits, int memoryMb) =>
        !Architecture.IsHost ? $"emulated: {Architecture.RunsHereAs}, figures are the emulator's"
        : limits.IsShaped ? $"Lambda-shaped, {Limits.LambdaShape.Describe(memoryMb).Split(" = ")[1]} (cgroup v{limits.Version})"
        : $"host CPU, not shaped ({limits.NotShapedReason})";

    private static IEnumerable<T> Rotate<T>(IReadOnlyList<T> items, int by) =>
        Enumerable.Range(0, items.Count).Select(i => items[(i + by) % items.Count]);

    /// <summary>What Lambda unpacks (for AOT, the bootstrap alone).</summary>
    private static long PackageBytes(string directory) => FunctionBuilder.PackagedFiles(directory).Sum(f => new FileInfo(f).Length);
}

/// <summary>A bench run that cannot go on: a missing function, a failed build, a failing invocation.</summary>
public sealed class BenchException(string message) : UserError(message);
