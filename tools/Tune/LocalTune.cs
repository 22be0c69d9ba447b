using Functions.Tools.Bench;
using Functions.Tools.Local;
using Functions.Tools.Template;

namespace Functions.Tools.Tune;

/// <summary>
/// Sweeps functions of the repository here: built Native AOT once, run through the Runtime API emulator against an
/// in-memory dynalite holding each function's fixture items (its bench.json), as bench runs them.
/// </summary>
internal sealed class LocalTune(Repository repository, IReadOnlyList<FunctionBench> declared, Action<string> note)
{
    public Architecture Architecture { get; init; } = Architecture.HostOrX86_64;

    public Limits.CpuMode Cpu { get; init; } = Limits.CpuMode.Lambda;

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The event every function is invoked with; each function's sample event from events/ when null.</summary>
    public byte[]? Event { get; init; }

    public async Task<IReadOnlyList<TuneResult>> RunAsync(IReadOnlyList<string> names, MemorySweep sweep, IReadOnlyList<int> sizes, int cold, int warm, CancellationToken cancellationToken)
    {
        var template = await new TemplateSource(repository).LoadAsync(cancellationToken).ConfigureAwait(false);
        var functions = names.Select(name => template.Function(name)
            ?? throw new BenchException($"There is no function {name} in the CDK app. Functions: {string.Join(", ", template.Functions.Select(f => f.Name))}.")).ToList();
        var events = new BenchEvents(repository);
        if (Event is null)
        {
            // Before any build: a missing sample event stops the run in a second, not minutes.
            foreach (var function in functions)
            {
                events.For(function.Name);
            }
        }
        var benches = declared.Where(f => names.Contains(f.Name)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        await using var session = await LocalSession.StartAsync(repository, template, functions,
            new LocalOptions(BuildMode.Aot, InMemory: true, ExtraEnvironment: Environment) { Architecture = Architecture, Cpu = Cpu }, cancellationToken).ConfigureAwait(false);
        note(session.Limits.Describe());
        using var fixtures = new FixtureRestorer(session.DynamoDbEndpoint);
        var results = new List<TuneResult>();
        foreach (var function in functions)
        {
            note($"build {function.Name}");
            var spec = await session.PrepareAsync(function, null, cancellationToken).ConfigureAwait(false);
            Func<Instances.FunctionSpec, CancellationToken, Task>? restore = benches.TryGetValue(function.Name, out var bench)
                ? (current, token) => fixtures.RestoreAsync(bench, current, token)
                : null;
            await using var target = new LocalSweepTarget(spec, session.RuntimeApi, Event ?? events.For(function.Name), Architecture.Name, beforeEach: restore);
            results.Add(await sweep.RunAsync(target, sizes, cold, warm, cancellationToken).ConfigureAwait(false));
        }
        return results;
    }
}
