namespace Functions.Tools.Instances;

/// <summary>How to start one function: its executable, settings as deployed, and the environment it sees.</summary>
public sealed record FunctionSpec(
    string Name,
    string Bootstrap,
    int MemoryMb,
    TimeSpan Timeout,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Lambda allows 10 s for init before it gives up on an environment.</summary>
    public static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);

    public string FunctionArn => $"arn:aws:lambda:us-east-1:123456789012:function:{Name}";

    /// <summary>
    /// The user-mode emulator that runs a bootstrap built for another architecture (qemu-aarch64 for arm64 on x86_64),
    /// or null to run it directly. Its figures are the emulator's: much slower, and its own memory on top.
    /// </summary>
    public string? Emulator { get; init; }

    /// <summary>The run's cgroups, where each instance gets a group shaped to its memory size; null runs unshaped.</summary>
    public Limits.ResourceLimits? Limits { get; init; }
}
