namespace Functions.Build;

/// <summary>A build the user can fix: the message says what went wrong and how.</summary>
public sealed class BuildException(string message) : Exception(message);
