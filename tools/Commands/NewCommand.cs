using System.CommandLine;
using Functions.Declarations;
using Functions.Tools.Scaffold;

namespace Functions.Tools.Commands;

/// <summary>./fn new NAME --route "VERB /path" [--table NAME:read|write|readwrite]: a function, served the moment it exists.</summary>
public static class NewCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME")
        {
            Description = $"The function's name and folder under lambdas/: PascalCase words (ASCII letters and digits) joined by dots, e.g. Items.History; "
                + $"at most {FunctionScaffold.MaxNameLength} characters, and not a function's name in other case.",
        };
        var route = new Option<string>("--route")
        {
            Description = $"The route it serves, as HTTP API writes it: \"GET /items/{{id}}/history\"; a path of at most {RouteRules.MaxPathLength} characters, "
                + "no '.' or '..' segment, parameters named as C# parameters can be.",
            Required = true,
        };
        var table = new Option<string>("--table")
        {
            Description = "A table of the CDK app it uses, by the name [UsesTable] takes (the stack's FunctionsHttpApi Tables), and how: "
                + "Items:read, Items:write or Items:readwrite (exactly those DynamoDB actions are granted). The handler really reads or writes it.",
        };
        var client = new Option<string>("--client")
        {
            Description = "With --table, the DynamoDB client the handler takes: lean (Functions.DynamoDb, the default: no AWS SDK in the binary) "
                + "or sdk (AWS's AmazonDynamoDBClient from AWSSDK.DynamoDBv2); either is built once at init.",
        };
        var command = new Command("new", "Scaffold a function: lambdas/NAME (project and handler with its [HttpApi] declaration), a sample event, a test; added to the app's solution. "
            + "Nothing else needs an edit: fn invoke, serve, synth and test pick it up.")
        {
            name, route, table, client,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repository = Repository.Locate();
            var function = parse.GetValue(name)!;
            var clientName = parse.GetValue(client);
            var tableClient = clientName switch
            {
                null or "lean" => TableClient.Lean,
                "sdk" => TableClient.Sdk,
                var other => throw new UsageError($"--client '{FunctionScaffold.Shown(other)}': the client is lean or sdk."),
            };
            if (clientName is not null && parse.GetValue(table) is null)
            {
                throw new UsageError("--client picks the client of the table --table names: give --table too.");
            }
            var tableRequest = parse.GetValue(table) is { } text ? TableRequest.Parse(text, tableClient) : null;
            var written = (await new FunctionScaffold(repository).CreateAsync(function, parse.GetValue(route)!, tableRequest, cancellationToken)).ToList();

            // Reported only if it changed: dotnet sln add succeeds without a change when the project is listed already.
            var solution = repository.Solution!; // The scaffold read it to check the name.
            var solutionName = Path.GetFileName(solution);
            var before = await File.ReadAllBytesAsync(solution, cancellationToken);
            var project = Path.Combine("lambdas", function, function + ".csproj");
            var sln = await ProcessRunner.RunAsync("dotnet", ["sln", solutionName, "add", "--solution-folder", "lambdas", project], repository.Root, cancellationToken: cancellationToken);
            if (sln.ExitCode != 0)
            {
                throw new UserError($"Wrote the function, but could not add {project} to {solutionName}: {sln.Output.Trim().Split('\n')[0].Trim()}");
            }
            var after = await File.ReadAllBytesAsync(solution, cancellationToken);
            if (!before.AsSpan().SequenceEqual(after))
            {
                written.Add(solutionName);
            }
            foreach (var file in written)
            {
                Console.WriteLine($"  {file}");
            }
            Console.WriteLine($"Next: {repository.Command} invoke {function} --event events/{Repository.EventName(function)}.json, or {repository.Command} serve.");
            return ExitCode.Success;
        });
        return command;
    }
}
