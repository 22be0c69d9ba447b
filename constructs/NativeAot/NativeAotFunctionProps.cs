using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;

namespace Functions.Cdk.NativeAot;

/// <summary>What a <see cref="NativeAotFunction"/> needs: the project to publish and the few settings a function has.</summary>
public sealed record NativeAotFunctionProps
{
    /// <summary>The function's project folder relative to the repository root, e.g. "lambdas/Items.Get"; it holds Items.Get.csproj.</summary>
    public required string Project { get; init; }

    /// <summary>Instruction set the function runs on; null means <see cref="Architecture.ARM_64"/> (Graviton: cheaper per GB-second).</summary>
    public Architecture? Architecture { get; init; }

    public int MemorySize { get; init; } = 256;

    /// <summary>Null means 10 seconds.</summary>
    public Duration? Timeout { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public RetentionDays LogRetention { get; init; } = RetentionDays.TWO_WEEKS;

    /// <summary>What happens to the log group when the stack deletes it; null keeps CDK's default (RETAIN).</summary>
    public RemovalPolicy? LogRemovalPolicy { get; init; }

    /// <summary>Where the repository is; null finds Functions.sln above the working directory.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>X-Ray active tracing (the stack's `tracing` context, on by default).</summary>
    public bool Tracing { get; init; } = true;

    /// <summary>What this host can build; tests replace it to describe a host without a cross toolchain.</summary>
    internal Functions.Build.Toolchain? Toolchain { get; init; }
}
