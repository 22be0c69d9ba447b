using System.CommandLine;
using Functions.Tools.Commands;

var root = new RootCommand("fn: build, invoke, serve and benchmark the Native AOT Lambda functions of this repository.");
foreach (var command in Verbs.All())
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
