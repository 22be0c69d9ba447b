using System.CommandLine;
using System.Runtime.InteropServices;
using Functions.Tools.Commands;

var root = new RootCommand("fn: build, invoke, serve and benchmark the Native AOT Lambda functions of this repository.");
foreach (var command in Verbs.All())
{
    root.Subcommands.Add(command);
}

// Ctrl-C (SIGINT) and SIGTERM cancel the running verb, which then stops its instances and DynamoDB before it returns;
// a second signal ends the process at once. (A process started in the background by a non-interactive shell inherits
// SIGINT as ignored; no handler can change that, and SIGTERM still works.)
using var stopping = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    signal.Cancel = !stopping.IsCancellationRequested;
    stopping.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
var parsed = root.Parse(args);
var exitCode = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token);
// A command line that does not parse is bad usage: exit 2, as the README promises (System.CommandLine's own is 1).
return parsed.Errors.Count > 0 ? 2 : exitCode;
