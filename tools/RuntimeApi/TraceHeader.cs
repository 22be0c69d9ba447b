using Functions.Tools.Hosting;

namespace Functions.Tools.RuntimeApi;

/// <summary>
/// X-Ray trace headers as HTTP API and Lambda pass them: the gateway gives the event an x-amzn-trace-id header
/// "Root=1-{epoch seconds, 8 hex}-{24 hex}" (keeping a caller's Root), and Lambda hands the function the same Root
/// with its own segment in Lambda-Runtime-Trace-Id: "Root=...;Parent={16 hex};Sampled=0".
/// </summary>
public static class TraceHeader
{
    public static string NewRoot() =>
        $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{UniqueIds.Hex(12)}";

    /// <summary>The Root=... part of a caller's header, or null when it has none.</summary>
    public static string? RootOf(string? header) =>
        header?.Split(';', StringSplitOptions.TrimEntries).FirstOrDefault(p => p.StartsWith("Root=1-", StringComparison.Ordinal) && p.Length > "Root=1-".Length);

    /// <summary>What /next sends for an invocation under <paramref name="root"/> (a new trace when null).</summary>
    public static string ForFunction(string? root) =>
        $"{root ?? NewRoot()};Parent={UniqueIds.Hex(8)};Sampled=0";
}
