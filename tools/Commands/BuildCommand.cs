using System.CommandLine;
using System.Globalization;

namespace Functions.Tools.Commands;

/// <summary>./fn build [FUNCTION...] [--mode aot|r2r|jit] [--arch x86_64|arm64]</summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var functions = new Argument<string[]>("FUNCTION")
        {
            Description = "Functions to build (folder names under lambdas/, e.g. Items.Get); all of them when none is given.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var mode = CommonOptions.Mode();
        var arch = CommonOptions.Arch(Architecture.HostOrX86_64.Name);
        var framework = CommonOptions.Framework();
        var command = new Command("build", "Publish functions to artifacts/<mode>/<rid>/<Function>/bootstrap and <Function>.zip (skipped when nothing changed). "
            + "arm64 on an x86_64 machine cross-compiles (fn build names what is missing and how to install it).")
        {
            functions, mode, arch, framework,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repository = Repository.Locate();
            var known = repository.FunctionNames();
            var names = parse.GetValue(functions) is { Length: > 0 } given ? given : known.ToArray();
            if (names.FirstOrDefault(name => !known.Contains(name, StringComparer.Ordinal)) is { } unknown)
            {
                throw new UsageError($"There is no function {unknown} under lambdas/. Functions: {string.Join(", ", known)}.");
            }
            var builder = new FunctionBuilder(repository);
            var requests = names.Select(name => BuildRequest.For(repository, name, CommonOptions.ParseMode(parse.GetValue(mode)!),
                CommonOptions.ParseArch(parse.GetValue(arch)!), parse.GetValue(framework))).ToList();
            return await BuildAllAsync(builder, requests, cancellationToken);
        });
        return command;
    }

    private static async Task<int> BuildAllAsync(FunctionBuilder builder, IReadOnlyList<BuildRequest> requests, CancellationToken cancellationToken)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            var prefix = $"[{i + 1}/{requests.Count}] {requests[i]}";
            Console.Error.WriteLine($"{prefix}: building...");
            var result = await builder.BuildAsync(requests[i], cancellationToken);
            Console.Error.WriteLine($"{prefix}: {Describe(result)}");
        }
        return ExitCode.Success;
    }

    private static string Describe(BuildResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var size = new FileInfo(result.Bootstrap).Length / 1048576.0;
        var zip = new FileInfo(result.Zip).Length / 1048576.0;
        var what = result.UpToDate ? "up to date" : $"built in {result.Elapsed.TotalSeconds.ToString("0.0", c)} s";
        return $"{what}; bootstrap {size.ToString("0.0", c)} MB, zip {zip.ToString("0.0", c)} MB -> {Path.GetRelativePath(Directory.GetCurrentDirectory(), result.Directory)}";
    }
}
