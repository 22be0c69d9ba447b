using System.Diagnostics;
using Functions.Runtime;

namespace Functions.Tools.Instances;

/// <summary>
/// Where an instance's init went, from the process's start to its first /next: the runtime starting (exec, loader,
/// .NET's start-up, up to Main), the function's init code (Main until its handler is built: services, clients), and
/// its first request to the Runtime API (connecting, sending). Known only for functions whose runtime says when Main
/// began and init ended (<see cref="StartupTimes"/>: ours does).
/// </summary>
public sealed record InitPhases(double RuntimeStartMs, double InitCodeMs, double FirstRequestMs)
{
    public static InitPhases? From(long startedTimestamp, StartupTimes? startup, long firstNextTimestamp)
    {
        if (startup is null || firstNextTimestamp == 0 || startup.MainTimestamp < startedTimestamp || startup.InitializedTimestamp > firstNextTimestamp)
        {
            return null; // Not ours, or clocks that do not line up (another machine's, an emulator's): no breakdown rather than a wrong one.
        }
        return new InitPhases(
            Stopwatch.GetElapsedTime(startedTimestamp, startup.MainTimestamp).TotalMilliseconds,
            Stopwatch.GetElapsedTime(startup.MainTimestamp, startup.InitializedTimestamp).TotalMilliseconds,
            Stopwatch.GetElapsedTime(startup.InitializedTimestamp, firstNextTimestamp).TotalMilliseconds);
    }
}
