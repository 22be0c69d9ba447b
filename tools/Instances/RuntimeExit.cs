using System.Globalization;
using Functions.Tools.RuntimeApi;

namespace Functions.Tools.Instances;

/// <summary>A runtime process that ended before its invocation or its init did, in Lambda's words.</summary>
internal static class RuntimeExit
{
    /// <summary>The invocation's error message: "Runtime exited with error: exit status 3".</summary>
    public static string DuringInvocation(string requestId, ProcessExit? exit) =>
        $"RequestId: {requestId} Error: Runtime exited with error: {Status(exit)}";

    /// <summary>What Lambda says of an environment it stopped for its memory, whatever the exit code: a kill.</summary>
    public static string OutOfMemory(string requestId) =>
        $"RequestId: {requestId} Error: Runtime exited with error: signal: killed";

    /// <summary>The init's outcome when the process ended before its first /next.</summary>
    public static InvocationOutcome DuringInit(ProcessExit? exit, bool outOfMemory)
    {
        var type = outOfMemory ? InvocationOutcome.OutOfMemory : InvocationOutcome.ExitError;
        return InvocationOutcome.Error(type, RuntimeApiServer.ErrorBody(type, $"Runtime exited during init with error: {Status(exit)}"), DateTimeOffset.UtcNow);
    }

    /// <summary>As Lambda (Go's os.ProcessState) words it: "exit status 3", or "signal: killed" for a process a signal ended.</summary>
    private static string Status(ProcessExit? exit) => exit is not { } ended ? "exit status unknown" : ended.Signal switch
    {
        9 => "signal: killed",
        11 => "signal: segmentation fault",
        6 => "signal: aborted",
        15 => "signal: terminated",
        _ => $"exit status {ended.Code.ToString(CultureInfo.InvariantCulture)}",
    };
}
