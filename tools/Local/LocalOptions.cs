using Functions.Tools.Building;

namespace Functions.Tools.Local;

/// <summary>How the local runner hosts functions: build mode, and where DynamoDB lives.</summary>
public sealed record LocalOptions(
    BuildMode Mode,
    string? DataDirectory = null,
    bool InMemory = false,
    string? DynamoDbEndpoint = null,
    IReadOnlyDictionary<string, string>? ExtraEnvironment = null);
