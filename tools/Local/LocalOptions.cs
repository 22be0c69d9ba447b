
namespace Functions.Tools.Local;

/// <summary>How the local runner hosts functions: build mode, architecture and framework, and where DynamoDB lives.</summary>
public sealed record LocalOptions(
    BuildMode Mode,
    string? DataDirectory = null,
    bool InMemory = false,
    string? DynamoDbEndpoint = null,
    IReadOnlyDictionary<string, string>? ExtraEnvironment = null)
{
    /// <summary>What the functions are built for and run as; another than the host's runs under its emulator.</summary>
    public Architecture Architecture { get; init; } = Architecture.HostOrX86_64;

    /// <summary>--cpu: instances shaped as Lambda shapes them (cgroups), or the host's CPU and memory.</summary>
    public Limits.CpuMode Cpu { get; init; } = Limits.CpuMode.Lambda;

    /// <summary>--stream-bandwidth: how fast streamed responses reach their callers (Lambda's cap past 6 MB, or none).</summary>
    public RuntimeApi.StreamBandwidth StreamBandwidth { get; init; } = RuntimeApi.StreamBandwidth.Unlimited;

    /// <summary>Warm build servers the builds use (./fn serve, whose rebuilds follow edits); null: as the environment says.</summary>
    public BuildServers? BuildServers { get; init; }

    /// <summary>Whether builds also write the zip Lambda takes (bench reports its size); serve runs the folder and needs none.</summary>
    public bool Zipped { get; init; } = true;

    /// <summary>Null: Directory.Build.props' default.</summary>
    public string? Framework { get; init; }

    /// <summary>For people: "aot", "aot, net8.0", "aot, arm64 under qemu-aarch64".</summary>
    public string Describe() => string.Join(", ", new[]
    {
        Mode.Name(),
        Framework,
        Architecture.IsHost ? null : Architecture.RunsHereAs,
    }.OfType<string>());
}
