using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace Functions.Infra.NativeAot;

/// <summary>
/// A Lambda function built from one C# project with Native AOT: runtime provided.al2023, handler `bootstrap`, its code
/// published on this host by `dotnet publish` (no Docker), its own log group. Our counterpart of cargo-lambda-cdk's RustFunction.
/// </summary>
public sealed class NativeAotFunction : Construct
{
    /// <summary>
    /// Metadata on the AWS::Lambda::Function resource: the project folder relative to the repository root ("lambdas/Items.Get")
    /// and its name ("Items.Get"). The local runner reads them to build the function for the host; a contract, keep the keys.
    /// </summary>
    public const string ProjectMetadataKey = "fn:project";

    /// <inheritdoc cref="ProjectMetadataKey"/>
    public const string FunctionMetadataKey = "fn:function";

    /// <summary>The library every function links (ARCHITECTURE.md): its sources are part of every function's asset hash.</summary>
    private const string SharedLibraryFolder = "shared";

    /// <summary>Where synth keeps MSBuild's intermediate files, inside the git-ignored local state folder.</summary>
    private static readonly string BuildFolder = Path.Combine(".fn", "infra-build");

    public NativeAotFunction(Construct scope, string id, NativeAotFunctionProps props) : base(scope, id)
    {
        var root = props.RepositoryRoot ?? RepositoryRoot.Locate();
        Project = props.Project.Replace('\\', '/').TrimEnd('/');
        Name = Path.GetFileName(Project);
        var projectFile = Path.Combine(root, Project, Name + ".csproj");
        if (!File.Exists(projectFile))
        {
            throw new SynthesisException($"Function project {Project} has no {Name}.csproj (looked for {projectFile}).");
        }

        var architecture = props.Architecture ?? Architecture.ARM_64;
        var target = LinuxTarget.For(architecture);
        if (Stack.Of(this).BundlingRequired)
        {
            // Before any publish: otherwise a host without the cross toolchain fails only after building the functions before this one.
            (props.Toolchain ?? HostToolchain.Current).EnsureCanBuild(target);
        }

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        var recipe = string.Join(' ', [target.Rid, .. NativeAotBundling.PublishProperties]);
        Function = new Function(this, "Function", new FunctionProps
        {
            Runtime = Runtime.PROVIDED_AL2023,
            Handler = "bootstrap",
            Architecture = architecture,
            MemorySize = props.MemorySize,
            Timeout = props.Timeout ?? Duration.Seconds(10),
            Environment = props.Environment.ToDictionary(),
            LogGroup = LogGroup,
            Code = Code.FromAsset(Path.Combine(root, Project), new Amazon.CDK.AWS.S3.Assets.AssetOptions
            {
                AssetHashType = AssetHashType.CUSTOM,
                AssetHash = SourceFingerprint.Compute(root, [Project, SharedLibraryFolder], recipe),
                Bundling = new BundlingOptions
                {
                    // Required by the type, never run: local bundling always succeeds or throws, so CDK never falls back to Docker.
                    Image = DockerImage.FromRegistry("docker-bundling-is-not-used"),
                    Local = new NativeAotBundling(projectFile, target, Path.Combine(root, BuildFolder)),
                    OutputType = BundlingOutput.NOT_ARCHIVED,
                },
            }),
        });

        var resource = (CfnFunction)Function.Node.DefaultChild!;
        resource.AddMetadata(ProjectMetadataKey, Project);
        resource.AddMetadata(FunctionMetadataKey, Name);
    }

    /// <summary>The project folder relative to the repository root, e.g. "lambdas/Items.Get".</summary>
    public string Project { get; }

    /// <summary>The project's name, e.g. "Items.Get".</summary>
    public string Name { get; }

    public Function Function { get; }

    public LogGroup LogGroup { get; }
}
