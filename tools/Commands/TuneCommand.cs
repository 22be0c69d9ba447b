using System.CommandLine;
using System.Globalization;
using Functions.Tools.Bench;
using Functions.Tools.Tune;
using Spectre.Console;

namespace Functions.Tools.Commands;

/// <summary>./fn tune: a memory-size sweep shaped like Lambda, and the size that costs least, runs fastest, or balances both.</summary>
public static class TuneCommand
{
    public const string DefaultSizes = "128,256,512,1024,1769,3008";

    public static Command Create()
    {
        var functions = new Argument<string[]>("FUNCTION") { Description = "Functions to tune (folder names under lambdas/).", Arity = ArgumentArity.ZeroOrMore };
        var memory = new Option<string>("--memory") { Description = "Memory sizes (MB) to run at, comma-separated, each from 128 to 10240.", DefaultValueFactory = _ => DefaultSizes };
        var arch = CommonOptions.RunArch();
        var eventFile = new Option<FileInfo>("--event", "-e") { Description = "A JSON file with the event to invoke with (default: each function's sample event in events/)." };
        var cold = new Option<int>("--cold") { Description = "Cold starts (new environments) per size.", DefaultValueFactory = _ => 5 };
        var warm = new Option<int>("--warm") { Description = "Warm invocations per size, on one environment.", DefaultValueFactory = _ => 50 };
        var strategy = new Option<string>("--strategy")
        {
            Description = "What the pick optimizes: cost (least per invocation), speed (least duration) or balanced (both, weighed equally).",
            DefaultValueFactory = _ => "cost",
        }.AcceptOnlyFromAmong([.. TuneStrategies.All.Select(TuneStrategies.Name)]);
        var cpu = CommonOptions.Cpu();
        var coldShare = new Option<double>("--cold-share") { Description = "Share of invocations that meet a cold start, in percent, for costs and expected durations.", DefaultValueFactory = _ => CostModel.DefaultColdShare * 100 };
        var prices = new Option<FileInfo>("--prices") { Description = "A prices file (default tools/Bench/prices.json)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where tune.md, tune.json and tune.svg go (default artifacts/tune)." };
        var env = CommonOptions.Environment("K=V added to every function's environment (repeatable).");
        var remote = new Option<string>("--remote") { Description = "Sweep a deployed function instead (its name or ARN) through the Lambda API; its configuration is put back at the end, also on Ctrl-C." };
        var region = new Option<string>("--region") { Description = "With --remote: the AWS region (default: AWS_REGION or the profile's)." };
        var profile = new Option<string>("--profile") { Description = "With --remote: the AWS profile whose credentials to use (default: the SDK's credential chain)." };
        var endpoint = new Option<string>("--endpoint-url") { Description = "With --remote: another Lambda endpoint, e.g. fn serve's Invoke API (http://127.0.0.1:3001)." };
        var command = new Command("tune", "Run functions at each memory size, Lambda-shaped (CPU in proportion to memory, memory limited), and pick the size that costs least, runs fastest, or balances both.")
        {
            functions, memory, arch, eventFile, cold, warm, strategy, cpu, coldShare, prices, output, env, remote, region, profile, endpoint,
        };
        CommonOptions.Require(cold, n => n >= 1, "--cold must be at least 1.");
        CommonOptions.Require(warm, n => n >= 1, "--warm must be at least 1.");
        CommonOptions.Require(coldShare, p => p is >= 0 and <= 100, "--cold-share is a percentage from 0 to 100.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var sizes = ParseSizes(parse.GetValue(memory)!);
            var names = parse.GetValue(functions) ?? [];
            var deployed = parse.GetValue(remote);
            if (deployed is not null && names.Length > 0)
            {
                throw new UsageError("Give either functions of this repository or --remote NAME|ARN, not both.");
            }
            if (deployed is null && names.Length == 0)
            {
                throw new UsageError($"Name the functions to tune, e.g. {Repository.CommandHere} tune Hello, or a deployed one with --remote NAME|ARN.");
            }
            if (deployed is null && new Option[] { region, profile, endpoint }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } remoteOnly)
            {
                throw new UsageError($"{remoteOnly.Name} goes with --remote NAME|ARN.");
            }
            var repository = Repository.Locate();
            var benches = FunctionBench.Discover(repository);
            var loadedPrices = Prices.Load(parse.GetValue(prices)?.FullName ?? Prices.DefaultPath(repository)).WithDeclaredUnits(benches);
            var share = parse.GetValue(coldShare) / 100;
            var theStrategy = TuneStrategies.Parse(parse.GetValue(strategy)!)!.Value;
            var payload = parse.GetValue(eventFile) is { } file ? await EventPayload.ReadFileAsync(file, cancellationToken) : null;
            var architecture = CommonOptions.ParseArch(parse.GetValue(arch)!);
            if (!architecture.IsHost && deployed is null)
            {
                Console.Error.WriteLine($"tune: {architecture.RunsHereAs} here: emulated, not shaped; the figures measure the emulator, not Graviton.");
            }
            var started = DateTimeOffset.UtcNow;
            var progress = TuneProgress.ForStandardError();
            var sweep = new MemorySweep(loadedPrices, share, progress);
            void Note(string line) => Console.Error.WriteLine($"tune: {line}");
            IReadOnlyList<TuneResult> results;
            try
            {
                results = deployed is not null
                    ? [await new RemoteTune(repository, new Remote.RemoteOptions(parse.GetValue(region), parse.GetValue(profile), parse.GetValue(endpoint)), Note)
                        .RunAsync(deployed, payload ?? "{}"u8.ToArray(), sweep, sizes, parse.GetValue(cold), parse.GetValue(warm), cancellationToken)]
                    : await new LocalTune(repository, benches, Note)
                    {
                        Architecture = architecture,
                        Cpu = CommonOptions.ParseCpu(parse.GetValue(cpu)!),
                        Environment = CommonOptions.ParseEnvironment(parse.GetValue(env)),
                        Event = payload,
                    }.RunAsync(names, sweep, sizes, parse.GetValue(cold), parse.GetValue(warm), cancellationToken);
            }
            catch
            {
                progress.Interrupted();
                throw;
            }
            var run = new TuneRun(started, deployed is null ? Machine.Describe(architecture.RunsHereAs) : $"deployed function {results[0].Function}, through the Lambda API", theStrategy, share, loadedPrices.Date, results) { Command = CommonOptions.CommandLine() };
            await WriteAsync(run, parse.GetValue(output)?.FullName ?? Path.Combine(repository.Artifacts, "tune"), cancellationToken);
            return ExitCode.Success;
        });
        return command;
    }

    /// <summary>Lambda's sizes are whole megabytes from 128 to 10,240; the sweep runs them smallest first, each once.</summary>
    public static IReadOnlyList<int> ParseSizes(string text)
    {
        var sizes = CommonOptions.ParseList(text, "--memory", s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
        var outside = sizes.Where(m => m is < 128 or > 10240).ToList();
        return outside.Count > 0
            ? throw new UsageError($"--memory {string.Join(',', outside)}: Lambda's memory sizes are whole MB from 128 to 10240.")
            : sizes.Distinct().Order().ToList();
    }

    private static async Task WriteAsync(TuneRun run, string directory, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or a CI log: no colour codes, and a width that does not wrap every row.
            console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            console.Profile.Width = 200;
        }
        TerminalTable.Render(console, "fn tune", TuneTables.Heading(run), TuneTables.Build(run));
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "tune.md"), MarkdownReport.Write("fn tune", TuneTables.Heading(run), TuneTables.Build(run)), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "tune.json"), TuneJson.Write(run), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "tune.svg"), TuneChart.Write(run), cancellationToken);
        Console.Error.WriteLine($"Wrote tune.md, tune.json and tune.svg to {directory}");
    }
}
