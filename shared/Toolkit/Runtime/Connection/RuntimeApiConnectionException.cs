namespace Functions.Runtime.Connection;

/// <summary>
/// The connection to the Runtime API failed, or carried something that is not its HTTP: either way no answer came,
/// and the environment is gone (the runtime exits and Lambda replaces it).
/// </summary>
public sealed class RuntimeApiConnectionException(string message, Exception? inner = null) : IOException(message, inner);
