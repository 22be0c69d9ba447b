using System.CommandLine;
using Functions.Tools.Scaffold;

namespace Functions.Tools.Commands;

/// <summary>./fn new NAME --route "VERB /path" [--table NAME:read|write|readwrite]: a function, served the moment it exists.</summary>
public static class NewCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The function's name and folder under lambdas/: PascalCase words joined by dots, e.g. Items.History." };
        var route = new Option<string>("--route") { Description = "The route it serves, as HTTP API writes it: \"GET /items/{id}/history\".", Required = true };
        var table = new Option<string>("--table") { Description = "A table of the CDK app it uses, and how: Items:read, Items:write or Items:readwrite (exactly those DynamoDB actions are granted)." };
        var command = new Command("new", "Scaffold a function: lambdas/NAME (project and handler with its [HttpApi] declaration), a sample event, a test; added to Functions.sln. "
            + "Nothing else needs an edit: ./fn invoke, serve, synth and test pick it up.")
        {
            name, route, table,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repository = Repository.Locate();
            var tableRequest = parse.GetValue(table) is { } text ? ParseTable(text) : null;
            var written = new FunctionScaffold(repository).Create(parse.GetValue(name)!, parse.GetValue(route)!, tableRequest);
            var project = Path.Combine("lambdas", parse.GetValue(name)!, parse.GetValue(name) + ".csproj");
            var sln = await ProcessRunner.RunAsync("dotnet", ["sln", "Functions.sln", "add", "--solution-folder", "lambdas", project], repository.Root, cancellationToken: cancellationToken);
            if (sln.ExitCode != 0)
            {
                throw new UserError($"Wrote the function, but could not add {project} to Functions.sln: {sln.Output.Trim()}");
            }
            foreach (var file in written.Append("Functions.sln"))
            {
                Console.WriteLine($"  {file}");
            }
            var kebab = Repository.EventName(parse.GetValue(name)!);
            Console.WriteLine($"Next: ./fn invoke {parse.GetValue(name)} --event events/{kebab}.json, or ./fn serve.");
            return ExitCode.Success;
        });
        return command;
    }

    private static TableRequest ParseTable(string text)
    {
        var parts = text.Split(':', 2);
        return parts.Length == 2 ? new TableRequest(parts[0], parts[1]) : throw new UsageError($"--table {text}: expected TABLE:read, TABLE:write or TABLE:readwrite.");
    }
}
