namespace Functions.Tools.DynamoDb;

/// <summary>
/// The local DynamoDB could not be started: dynalite is not installed, another serve holds its data folder, or node
/// exited or never listened. The message says what to do. Dynalite retries on it (a lost port, a restart after a
/// crash); a verb that needs DynamoDB ends with it (tools/UserError.cs maps it to one line, exit 1).
/// </summary>
public sealed class DynaliteStartException(string message, Exception? inner = null) : Exception(message, inner);
