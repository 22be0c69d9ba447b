using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Functions.Tools.Nag;
using Functions.Tools.Template;

namespace Functions.Tools.Commands;

/// <summary>./fn synth [--arch arm64|x86_64] [-- CDK-ARGUMENTS...]</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var arch = Cdk.ArchOption();
        var extra = Cdk.ExtraArguments();
        var command = new Command("synth",
            "Synthesize the ItemsApi stack with the CDK (cdk synth): publishes every function with Native AOT for the architecture "
            + "(minutes the first time, nothing when unchanged) and writes cdk.out/ItemsApi.template.json plus one asset per function.")
        {
            arch, extra,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // --quiet: the template is in cdk.out; printing all of it to the terminal helps nobody.
            // cdk's stdout (and the app's dotnet build under it) goes to stderr: synth's result is the table below.
            var exitCode = await Cdk.RunAsync("synth", parse.GetValue(arch), ["--quiet", .. parse.GetValue(extra) ?? []], cancellationToken, stdoutIsTheResult: false);
            var repository = Repository.Locate();
            // cdk.out unless the cdk arguments chose another output folder (-o), which is left as cdk made it.
            if (exitCode == 0 && Directory.Exists(Path.Combine(repository.Root, "cdk.out")))
            {
                RemoveStaleAssets(repository);
                PrintAssets(repository);
                exitCode = await CheckWithNagAsync(repository, cancellationToken);
            }
            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// cdk-nag on every template synthesized, as a reviewer would run it: its findings on stderr (stdout is the asset
    /// table), exit 1 when there is any. Without cdk-nag installed, a line says how to get the check.
    /// </summary>
    private static async Task<int> CheckWithNagAsync(Repository repository, CancellationToken cancellationToken)
    {
        if (!NagCheck.IsInstalled(repository))
        {
            Console.Error.WriteLine($"cdk-nag is not installed: {repository.NodeSetup} adds it, and fn synth then checks the template with it.");
            return ExitCode.Success;
        }
        var exitCode = ExitCode.Success;
        foreach (var template in Directory.GetFiles(Path.Combine(repository.Root, "cdk.out"), "*.template.json").Order(StringComparer.Ordinal))
        {
            var report = await NagCheck.RunAsync(repository, template, cancellationToken);
            foreach (var finding in report.Findings)
            {
                Console.Error.WriteLine($"cdk-nag: {finding}");
            }
            Console.Error.WriteLine($"cdk-nag on {Path.GetFileName(template)}: {report.Summary}");
            exitCode = report.Findings.Count == 0 ? exitCode : ExitCode.Failure;
        }
        return exitCode;
    }

    /// <summary>
    /// CDK keeps every asset it ever bundled in cdk.out; those no assets manifest names any more (an older build of a
    /// function) only take space and confuse whoever looks, so they go. The current ones stay: they spare the next synth a copy.
    /// </summary>
    private static void RemoveStaleAssets(Repository repository)
    {
        var outDirectory = Path.Combine(repository.Root, "cdk.out");
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var manifest in Directory.GetFiles(outDirectory, "*.assets.json"))
        {
            using var assets = JsonDocument.Parse(File.ReadAllText(manifest));
            if (assets.RootElement.TryGetProperty("files", out var files))
            {
                foreach (var file in files.EnumerateObject())
                {
                    if (file.Value.TryGetProperty("source", out var source) && source.TryGetProperty("path", out var path))
                    {
                        current.Add(path.GetString()!);
                    }
                }
            }
        }
        foreach (var asset in Directory.GetFileSystemEntries(outDirectory, "asset.*").Where(a => !current.Contains(Path.GetFileName(a))))
        {
            if (Directory.Exists(asset))
            {
                Directory.Delete(asset, recursive: true);
            }
            else
            {
                File.Delete(asset);
            }
        }
    }

    /// <summary>What synth produced, at a glance: each function's asset (the zip Lambda gets) and the size of its bootstrap.</summary>
    private static void PrintAssets(Repository repository)
    {
        var outDirectory = Path.Combine(repository.Root, "cdk.out");
        foreach (var templateFile in Directory.GetFiles(outDirectory, "*.template.json").Order(StringComparer.Ordinal))
        {
            Console.WriteLine($"{Path.GetRelativePath(repository.Root, templateFile)}");
            var template = CdkTemplate.Parse(File.ReadAllText(templateFile));
            var rows = new List<(string Function, string Bootstrap, string Zip, string Asset)>();
            foreach (var function in template.Functions)
            {
                if (function.AssetPath is not { } assetPath)
                {
                    continue;
                }
                var (bootstrap, zip) = AssetSizes(Path.Combine(outDirectory, assetPath));
                rows.Add((function.Name, bootstrap, zip, Path.Combine("cdk.out", assetPath)));
            }
            var width = rows.Select(r => r.Function.Length).Append("function".Length).Max();
            Console.WriteLine($"  {"function".PadRight(width)}  {"bootstrap",9}  {"zip",7}  asset");
            foreach (var (function, bootstrap, zip, asset) in rows.OrderBy(r => r.Function, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {function.PadRight(width)}  {bootstrap,9}  {zip,7}  {asset}");
            }
        }
    }

    /// <summary>Sizes of the bootstrap inside an asset (the zip the build core made) and of the zip itself.</summary>
    private static (string Bootstrap, string Zip) AssetSizes(string asset)
    {
        static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0 MB", CultureInfo.InvariantCulture);
        if (!File.Exists(asset))
        {
            return ("not bundled", "-");
        }
        using var zip = System.IO.Compression.ZipFile.OpenRead(asset);
        var entry = zip.GetEntry("bootstrap");
        return (entry is null ? "missing" : Megabytes(entry.Length), Megabytes(new FileInfo(asset).Length));
    }
}

/// <summary>Runs the repository's aws-cdk CLI (node_modules/.bin/cdk) for synth and deploy.</summary>
internal static class Cdk
{
    /// <summary>Lambda's architectures; arm64 first, as it is the default (Graviton is cheaper per GB-second).</summary>
    private static readonly string[] Architectures = ["arm64", "x86_64"];

    public static Option<string> ArchOption() => new("--arch")
    {
        Description = "Lambda architecture the functions are built for: arm64 (default) or x86_64. "
            + "arm64 on an x86_64 machine cross-compiles with the aarch64 toolchain (fn build names what is missing and how to install it).",
        DefaultValueFactory = _ => Architectures[0],
    };

    public static Argument<string[]> ExtraArguments() => new("CDK-ARGUMENTS")
    {
        Description = "More cdk arguments after --, e.g. -- -c dev=true -c memory=512 -c stackName=ItemsApi-dev.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>
    /// cdk VERB -c arch=ARCH in the repository root, output streamed as it comes; returns cdk's exit code (2 for a bad
    /// --arch). Unless cdk's stdout is the verb's result (deploy's outputs), it goes to stderr.
    /// </summary>
    public static async Task<int> RunAsync(string verb, string? arch, IReadOnlyList<string> extra, CancellationToken cancellationToken, bool stdoutIsTheResult = true)
    {
        if (arch is null || !Architectures.Contains(arch, StringComparer.Ordinal))
        {
            throw new UsageError($"--arch {arch} is not a Lambda architecture: use {string.Join(" or ", Architectures)}.");
        }
        var repository = Repository.Locate();
        var cdk = Path.Combine(repository.NodeModules, ".bin", "cdk");
        if (!File.Exists(cdk))
        {
            throw new UserError($"The aws-cdk CLI is not installed ({cdk} is missing): run {repository.NodeSetup}.");
        }

        string[] arguments = [verb, "-c", $"arch={arch}", .. extra];
        Console.Error.WriteLine($"cdk {string.Join(' ', arguments)}");
        ChildProcess process;
        try
        {
            // cdk keeps the terminal: deploy's approval prompt reads stdin, its progress is stderr's. Its stdout is the
            // template for synth, the verb's result; for deploy it is progress too, so it goes to stderr.
            process = ChildProcess.Start(new ChildProcessStart(cdk, arguments)
            {
                WorkingDirectory = repository.Root,
                KeepTerminal = true,
                OnLine = stdoutIsTheResult ? null : Console.Error.WriteLine,
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserError($"Cannot start {cdk}: {e.Message}. {Repository.NodeInstallHere}.", inner: e);
        }
        using (process)
        {
            try
            {
                // Returns once the forwarded output is drained too.
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop cdk and the app (and any dotnet publish) it started, not just the node process.
                process.Kill();
                throw;
            }
            return process.Exit!.Value.Code;
        }
    }
}