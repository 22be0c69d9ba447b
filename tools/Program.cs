using System.CommandLine;
using System.Runtime.InteropServices;
using Functions.Tools;
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
// A command line that does not parse is bad usage: exit 2, as the README promises (System.CommandLine's own is 1).
// The errors and the help that follows them go to stderr: stdout carries a verb's result, and there is none.
if (parsed.Errors.Count > 0)
{
    await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = Console.Error }, stopping.Token);
    return ExitCode.Usage;
}
// The one error policy of every verb (tools/UserError.cs): a problem the user can fix is one line and its code;
// Ctrl-C is 130. Anything else is our bug, and keeps its stack trace for the report.
try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, stopping.Token);
}
catch (Exception e) when (UserErrors.Describe(e) is { } error)
{
    await Console.Error.WriteLineAsync(error.Message);
    return error.Code;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Cancelled.");
    return ExitCode.Cancelled;
}
