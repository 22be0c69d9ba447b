
namespace Functions.Tools.Template;

/// <summary>
/// The synthesized template the local runner reads, cached in .fn/cdk.out and synthesized again whenever infra/
/// (or cdk.json) is newer than the cache or a function's declaration changed (a new function, a route, a table's
/// access). Local synthesis skips asset bundling: the runner builds for the host itself.
/// </summary>
public sealed class TemplateSource(Repository repository)
{
    private string OutDirectory => Path.Combine(repository.State, "cdk.out");

    private string DeclarationsStamp => Path.Combine(OutDirectory, ".declarations.sha256");

    /// <summary>Whether the last <see cref="LoadAsync"/> synthesized the template anew.</summary>
    public bool Synthesized { get; private set; }

    public async Task<CdkTemplate> LoadAsync(CancellationToken cancellationToken = default) =>
        CdkTemplate.Parse(await LoadTextAsync(cancellationToken));

    /// <summary>The template's JSON as synthesized, synthesized first when it is stale.</summary>
    public async Task<string> LoadTextAsync(CancellationToken cancellationToken = default)
    {
        // One synthesis at a time per app, across processes: two verbs started together (an app's tests invoking two
        // functions, serve beside invoke) would otherwise write .fn/cdk.out at once.
        using var synthesizing = await BuildLock.AcquireAsync(Path.Combine(repository.State, "synth"), cancellationToken);
        var cached = CachedTemplate();
        var declarations = FunctionCatalog.Fingerprint(repository);
        Synthesized = cached is null || File.GetLastWriteTimeUtc(cached) < NewestInput()
            || !File.Exists(DeclarationsStamp) || await File.ReadAllTextAsync(DeclarationsStamp, cancellationToken) != declarations;
        if (Synthesized || cached is null)
        {
            await SynthesizeAsync(cancellationToken);
            cached = CachedTemplate() ?? throw new UserError($"Synthesis wrote no template into {OutDirectory}.");
            await File.WriteAllTextAsync(DeclarationsStamp, declarations, cancellationToken);
        }
        // Read while the lock is held: another verb may synthesize again (and clear the folder) as soon as it is released.
        return await File.ReadAllTextAsync(cached, cancellationToken);
    }

    private string? CachedTemplate() =>
        Directory.Exists(OutDirectory) ? Directory.GetFiles(OutDirectory, "*.template.json").OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault() : null;

    private DateTime NewestInput()
    {
        var files = new[] { repository.Infra, repository.Constructs }
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !FunctionInputs.IsIgnored(Path.GetRelativePath(folder, f))));
        return files.Append(Path.Combine(repository.Root, "cdk.json")).Where(File.Exists).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
    }

    private async Task SynthesizeAsync(CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("Synthesizing the CDK app (infra/, constructs/ or a function's declaration changed)...");
        if (Directory.Exists(OutDirectory))
        {
            Directory.Delete(OutDirectory, recursive: true);
        }
        // What the cdk CLI would pass the app: where to write, and context: cdk.json's (corsOrigins, an issuer...), so
        // what serve runs is configured as what deploys, then ours. An empty bundling-stacks list skips bundling.
        var context = CdkJson.Context(repository);
        context["aws:cdk:bundling-stacks"] = new System.Text.Json.Nodes.JsonArray();
        context["arch"] = "x86_64";
        var environment = new Dictionary<string, string>
        {
            ["CDK_OUTDIR"] = OutDirectory,
            ["CDK_CONTEXT_JSON"] = context.ToJsonString(),
        };
        var project = repository.InfraProject
            ?? throw new UserError($"{repository.Infra} holds {(Directory.Exists(repository.Infra) ? "no .csproj, or more than one" : "nothing")}: the CDK app's project (one .csproj) is what serve and synth run.");
        var synth = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--project", project, "-c", "Release", "--no-launch-profile"],
            repository.Root,
            environment,
            cancellationToken: cancellationToken);
        if (synth.ExitCode != 0)
        {
            throw new UserError($"Synthesizing infra/ failed (exit {synth.ExitCode}):\n{synth.Output}");
        }
    }
}
