using Functions.Logging;

namespace Functions.Runtime;

/// <summary>What a function's initialization gets: its environment and the logger.</summary>
public sealed record FunctionStartup(LambdaEnvironment Environment, LambdaLogger Logger);
