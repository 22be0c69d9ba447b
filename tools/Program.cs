using System.CommandLine;
using Functions.Tools.Commands;

var root = new RootCommand("fn: build, invoke, serve and benchmark the Native AOT Lambda functions of this repository.");
foreach (var command in Verbs.All())
{
    root.Subcommands.Add(command);
}
// Ctrl-C cancels the running verb; it then has this long to stop its instances and DynamoDB before the process goes.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
return await root.Parse(args).InvokeAsync(invocation);
