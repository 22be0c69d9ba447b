namespace Functions.Runtime;

/// <summary>The function cannot start: reported to /runtime/init/error, then the process exits non-zero.</summary>
public sealed class InitializationException(string message, Exception? inner = null) : Exception(message, inner);
