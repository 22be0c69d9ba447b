namespace Functions.Build.Processes;

/// <summary>What to start, where, with which environment, and where its output goes.</summary>
public sealed record ChildProcessStart(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The child's working directory; the current one when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set for the child: on top of this process's environment, or alone when <see cref="InheritEnvironment"/> is false.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>False starts the child from an empty environment: only <see cref="Environment"/>.</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>
    /// Each line the child writes to stdout or stderr, as it comes. Null captures both streams whole instead, for
    /// <see cref="ChildProcess.ReadOutputAsync"/>.
    /// </summary>
    public Action<string>? OnLine { get; init; }

    /// <summary>
    /// Keeps stdin open until <see cref="ChildProcess.CloseInputAsync"/>, or for good: a pipe this process holds closes
    /// when it ends, however it ends, which tells a child that waits on it to exit too. False closes stdin at once.
    /// </summary>
    public bool HoldInput { get; init; }

    /// <summary>
    /// Leaves the child this process's terminal: stdin and stderr are ours (a deploy's prompts, its colours and
    /// progress), and stdout too unless <see cref="OnLine"/> is given, which then gets stdout's lines alone.
    /// </summary>
    public bool KeepTerminal { get; init; }
}
