namespace Functions.Cdk;

/// <summary>Synthesis cannot go on for a reason the user can fix; the message says how. Program.cs prints it without a stack trace.</summary>
public sealed class SynthesisException(string message) : Exception(message);
