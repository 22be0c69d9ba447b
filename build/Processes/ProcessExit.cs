using System.Globalization;

namespace Functions.Build.Processes;

/// <summary>How a child process ended, from the exit code .NET reports.</summary>
public readonly record struct ProcessExit(int Code)
{
    /// <summary>The signal that ended it, or null when it exited: .NET reports a signal as 128 + its number, as shells do.</summary>
    public int? Signal => Code > 128 ? Code - 128 : null;

    /// <summary>"exited with code 1", or "was killed by signal 9 (SIGKILL)".</summary>
    public override string ToString() => Signal is { } signal
        ? $"was killed by signal {signal.ToString(CultureInfo.InvariantCulture)}{(signal == 9 ? " (SIGKILL)" : "")}"
        : $"exited with code {Code.ToString(CultureInfo.InvariantCulture)}";
}
