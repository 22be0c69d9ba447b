using System.CommandLine;
using Functions.Tools.Nag;
using Functions.Tools.Template;

namespace Functions.Tools.Commands;

/// <summary>./fn nag [TEMPLATE]: cdk-nag's findings on a synthesized template, one per line; exit 1 when there is any.</summary>
public static class NagCommand
{
    public static Command Create()
    {
        var template = new Argument<string?>("TEMPLATE")
        {
            Description = "A synthesized template (default: the one serve and invoke use, .fn/cdk.out, synthesized first if infra/ changed).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("nag", "Run cdk-nag's AwsSolutions and Serverless packs on the synthesized template: every finding fixed, or "
            + "suppressed in the template with its reason (FunctionsHttpApi suppresses what it does on purpose). fn synth runs it too.")
        {
            template,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repository = Repository.Locate();
            NagCheck.EnsureInstalled(repository);
            var file = parse.GetValue(template) is { } given
                ? (File.Exists(given) ? Path.GetFullPath(given) : throw new UsageError($"{given} is not a file: give a synthesized template (cdk.out/STACK.template.json)."))
                : await SnapshotAsync(repository, cancellationToken);
            try
            {
                var report = await NagCheck.RunAsync(repository, file, cancellationToken);
                foreach (var finding in report.Findings)
                {
                    Console.WriteLine(finding);
                }
                Console.WriteLine(report.Summary);
                return report.Findings.Count == 0 ? ExitCode.Success : ExitCode.Failure;
            }
            finally
            {
                if (parse.GetValue(template) is null)
                {
                    File.Delete(file);
                }
            }
        });
        return command;
    }

    /// <summary>The template serve uses, copied out of .fn/cdk.out: another verb may synthesize it again while node reads.</summary>
    private static async Task<string> SnapshotAsync(Repository repository, CancellationToken cancellationToken)
    {
        var text = await new TemplateSource(repository).LoadTextAsync(cancellationToken);
        var file = Path.Combine(repository.State, $"nag-{Environment.ProcessId}.template.json");
        await File.WriteAllTextAsync(file, text, cancellationToken);
        return file;
    }
}
