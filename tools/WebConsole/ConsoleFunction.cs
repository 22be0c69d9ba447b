using Functions.Tools.Scheduling;

namespace Functions.Tools.WebConsole;

/// <summary>One function as the console lists it: how it is reached, how it is configured, and its pool now.</summary>
/// <param name="Routes">Its routes, each as "GET /items/{id}" with who may call it ("open", "token", "token: items:write").</param>
/// <param name="Url">Its function URL as "AWS_IAM, RESPONSE_STREAM", or null.</param>
/// <param name="Activity">Its pool now; null while it is still building.</param>
public sealed record ConsoleFunction(
    string Name,
    IReadOnlyList<(string RouteKey, string Access)> Routes,
    string? Url,
    int MemoryMb,
    double TimeoutSeconds,
    IReadOnlyList<string> Tables,
    PoolActivity? Activity);

/// <summary>What the console shows and runs: serve's functions as they are served at the moment of asking.</summary>
public interface IConsoleSource
{
    /// <summary>How the functions are built and run: "aot", "aot, arm64 under qemu-aarch64".</summary>
    string Build { get; }

    IReadOnlyList<ConsoleFunction> ServedFunctions();

    /// <summary>The pool that runs <paramref name="function"/> (by name), or null when it has none (unknown, or still building).</summary>
    FunctionPool? Pool(string function);

    /// <summary>An event for the function made from its declaration as serve would send it; null when it has no route or URL.</summary>
    Task<string?> GeneratedEventAsync(string function);
}
