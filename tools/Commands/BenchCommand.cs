using System.CommandLine;
using System.Globalization;
using Functions.Tools.Bench;
using Spectre.Console;

namespace Functions.Tools.Commands;

/// <summary>./fn bench: cold start, warm latency, memory, size and cost of each function, Native AOT vs ReadyToRun vs JIT.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var functions = new Argument<string[]>("FUNCTION") { Description = "Functions to measure (folder names under lambdas/; default: all).", Arity = ArgumentArity.ZeroOrMore };
        var modes = new Option<string>("--modes") { Description = "Build modes to compare, comma-separated.", DefaultValueFactory = _ => "aot,r2r,jit" };
        var cold = new Option<int>("--cold") { Description = "Cold starts (fresh processes) per function and mode.", DefaultValueFactory = _ => 20 };
        var warm = new Option<int>("--warm") { Description = "Warm invocations on one live instance per function and mode.", DefaultValueFactory = _ => 200 };
        // Gone: a duration measured at one size says nothing of another's now that CPU follows memory. Kept hidden to
        // point whoever still types it at the verb that sweeps sizes.
        var memory = new Option<string>("--memory") { Hidden = true };
        var rps = new Option<string>("--rps") { Description = "Request rates (per second) to price a 30-day month at, comma-separated.", DefaultValueFactory = _ => "1,100,1000" };
        var frameworks = new Option<string>("--frameworks")
        {
            Description = $"Target frameworks to compare, comma-separated, e.g. net8.0,net10.0 (from {string.Join(", ", TargetFramework.Supported)}; default: Directory.Build.props' one). Each mode is built and run on each.",
        };
        var arch = CommonOptions.RunArch();
        var cpu = CommonOptions.Cpu();
        var priceArchitecture = new Option<string>("--price-arch")
        {
            Description = "Architecture whose Lambda price the cost table uses (default arm64, what the stack deploys; x86_64 timings priced as arm64 assume Graviton runs as fast).",
            DefaultValueFactory = _ => "arm64",
        }.AcceptOnlyFromAmong("x86_64", "arm64");
        var coldShare = new Option<double>("--cold-share") { Description = "Share of requests that meet a cold start, in percent.", DefaultValueFactory = _ => CostModel.DefaultColdShare * 100 };
        var prices = new Option<FileInfo>("--prices") { Description = "A prices file (default tools/Bench/prices.json)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where bench.md, bench.json and bench.svg go (default artifacts/bench)." };
        var env = CommonOptions.Environment("K=V added to every function's environment (repeatable), e.g. AWS_LAMBDA_LOG_LEVEL=DEBUG to measure the cost of debug logs.");
        var fromLogs = new Option<FileInfo[]>("--from-logs") { Description = "REPORT lines of deployed functions (CloudWatch text or JSON export): the same statistics and costs, nothing run.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("bench", "Measure cold start, warm latency, peak memory, package size and cost per function in Native AOT, ReadyToRun and JIT, on one screen.")
        {
            functions, modes, frameworks, cold, warm, memory, rps, arch, cpu, priceArchitecture, coldShare, prices, output, env, fromLogs,
        };
        CommonOptions.Require(memory, text => text is null,
            $"bench measures each function at its declared memory size and prices it there; to compare sizes, run {Repository.CommandHere} tune FUNCTION --memory 128,256,512,...");
        CommonOptions.Require(cold, n => n >= 1, "--cold must be at least 1.");
        CommonOptions.Require(warm, n => n >= 1, "--warm must be at least 1.");
        CommonOptions.Require(coldShare, p => p is >= 0 and <= 100, "--cold-share is a percentage from 0 to 100.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repository = Repository.Locate();
            // Declarations and bench.json files read once, for the prices and for the run.
            var benches = FunctionBench.Discover(repository);
            var settings = new BenchSettings(
                CommonOptions.ParseList(parse.GetValue(rps)!, "--rps", s => double.Parse(s, CultureInfo.InvariantCulture)),
                parse.GetValue(priceArchitecture)!,
                parse.GetValue(coldShare) / 100,
                Prices.Load(parse.GetValue(prices)?.FullName ?? Prices.DefaultPath(repository)).WithDeclaredUnits(benches),
                parse.GetValue(output)?.FullName ?? Path.Combine(repository.Artifacts, "bench"));
            var started = DateTimeOffset.UtcNow;
            IReadOnlyList<ModeResult> results;
            var architecture = CommonOptions.ParseArch(parse.GetValue(arch)!);
            string ranAs;
            if (parse.GetValue(fromLogs) is { Length: > 0 } logs)
            {
                results = logs.SelectMany(FromLog).ToList();
                ranAs = "deployed (from REPORT lines)";
            }
            else
            {
                var names = parse.GetValue(functions) is { Length: > 0 } given ? given : repository.FunctionNames().ToArray();
                var buildModes = CommonOptions.ParseList(parse.GetValue(modes)!, "--modes", m => BuildModes.TryParse(m, out var mode) ? mode : throw new FormatException()).Distinct().ToList();
                var targetFrameworks = parse.GetValue(frameworks) is { } list
                    ? CommonOptions.ParseList(list, "--frameworks", f => TargetFramework.Validate(f) is null ? f : throw new FormatException()).Distinct().ToList()
                    : [TargetFramework.Default(repository)];
                var variants = targetFrameworks.SelectMany(f => buildModes.Select(m => BenchVariant.Of(repository, m, f))).ToList();
                var extra = CommonOptions.ParseEnvironment(parse.GetValue(env));
                var runner = new BenchRunner(repository, benches, step => Console.Error.WriteLine($"bench: {step}"), extra) { Architecture = architecture, Cpu = CommonOptions.ParseCpu(parse.GetValue(cpu)!) };
                ranAs = $"{string.Join(" and ", targetFrameworks)}, {architecture.RunsHereAs}"
                    + (architecture.IsHost ? "" : " (emulated: times and memory are the emulator's, not Lambda's)");
                if (!architecture.IsHost)
                {
                    Console.Error.WriteLine($"bench: {architecture.RunsHereAs} here: the figures measure the emulator, not Graviton.");
                }
                results = await runner.RunAsync(names, variants, parse.GetValue(cold), parse.GetValue(warm), cancellationToken);
                ranAs = $"{ranAs}; {runner.Shaping}";
            }
            await WriteAsync(started, results, settings, ranAs, cancellationToken);
            return ExitCode.Success;
        });
        return command;
    }

    private static async Task WriteAsync(DateTimeOffset started, IReadOnlyList<ModeResult> results, BenchSettings settings, string ranAs, CancellationToken cancellationToken)
    {
        // Each result at the size it ran at, and only there.
        var costs = results
            .Select(r => r.MemorySizeMb is { } size ? CostInput.From(r, settings.Architecture, size) : null)
            .OfType<CostInput>()
            .Select(input => CostModel.Compute(input, settings.Prices, settings.ColdShare, settings.RpsLevels))
            .ToList();
        var run = new BenchRun(started, Machine.Describe(ranAs), results, costs, settings.ColdShare, settings.RpsLevels, settings.Prices.Date) { Command = CommonOptions.CommandLine() };
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or a CI log: no colour codes, and a width that does not wrap every cost row.
            console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            console.Profile.Width = 160;
        }
        TerminalTable.Render(run, console);
        Directory.CreateDirectory(settings.OutputDirectory);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "bench.md"), MarkdownReport.Write(run), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "bench.json"), JsonReport.Write(run), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "bench.svg"), SvgChart.Write(run), cancellationToken);
        Console.Error.WriteLine($"Wrote bench.md, bench.json and bench.svg to {settings.OutputDirectory}");
    }

    private static IReadOnlyList<ModeResult> FromLog(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new UsageError($"The log file {file.FullName} does not exist.");
        }
        var reports = ReportLine.ParseFile(File.ReadAllText(file.FullName));
        return reports.Count > 0
            ? ModeResult.FromReports(reports, Path.GetFileNameWithoutExtension(file.Name))
            : throw new UsageError($"{file.FullName} holds no Lambda REPORT lines.");
    }

    private sealed record BenchSettings(IReadOnlyList<double> RpsLevels, string Architecture, double ColdShare, Prices Prices, string OutputDirectory);

}
