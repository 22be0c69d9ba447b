namespace Functions.Tests.Runtime;

/// <summary>
/// The runtime loop sets _X_AMZN_TRACE_ID on this process for every invocation: the classes that run it in-process
/// share this collection so they never run at the same time and read each other's trace id.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RuntimeLoopCollection
{
    public const string Name = "Runtime loop in this process";
}
