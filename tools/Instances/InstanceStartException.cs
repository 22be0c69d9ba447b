namespace Functions.Tools.Instances;

/// <summary>
/// An execution environment could not be made: its bootstrap cannot be started (missing, not executable, no qemu for
/// another architecture) or its cgroup cannot be created. The message says what to do. serve answers the request 500
/// and logs it; a verb that runs one function ends with it (tools/UserError.cs maps it to one line, exit 1).
/// </summary>
public sealed class InstanceStartException(string message, Exception? inner = null) : Exception(message, inner);
