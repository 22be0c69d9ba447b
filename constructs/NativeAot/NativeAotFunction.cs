using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Functions.Build;
using Architecture = Amazon.CDK.AWS.Lambda.Architecture;

namespace Functions.Cdk.NativeAot;

/// <summary>
/// A Lambda function built from one C# project with Native AOT: runtime provided.al2023, handler `bootstrap`, its own log
/// group, and its code built on this host by the same build core `./fn build` runs (build/FunctionBuilder.cs), the way
/// cargo-lambda-cdk's RustFunction shells out to `cargo lambda build`. The asset hash is that build's input hash, so
/// an unchanged function is neither rebuilt by either nor uploaded again by `cdk deploy`.
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

    public NativeAotFunction(Construct scope, string id, NativeAotFunctionProps props) : base(scope, id)
    {
        var repository = props.RepositoryRoot is { } root ? new Repository(root) : Repository.Locate();
        Project = props.Project.Replace('\\', '/').TrimEnd('/');
        Name = Path.GetFileName(Project);
        if (Path.GetFullPath(Path.Combine(repository.Root, Project)) != repository.ProjectFolder(Name) || !File.Exists(repository.ProjectFile(Name)))
        {
            throw new SynthesisException($"Function project {Project} is not a function: expected lambdas/{Name}/{Name}.csproj in {repository.Root}.");
        }

        var architecture = props.Architecture ?? Architecture.ARM_64;
        var request = BuildRequest.For(repository, Name, BuildMode.Aot, TargetFor(architecture));
        var builder = new FunctionBuilder(repository, props.Toolchain);
        InputsHash = builder.InputsHash(request);

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        // Its own role, allowed to write to its own log group only (AWSLambdaBasicExecutionRole would allow any).
        Role = new Role(this, "Role", new RoleProps { AssumedBy = new ServicePrincipal("lambda.amazonaws.com") });
        LogGroup.GrantWrite(Role);

        Function = new Function(this, "Function", new FunctionProps
        {
            Runtime = Runtime.PROVIDED_AL2023,
            Role = Role,
            Tracing = props.Tracing ? Tracing.ACTIVE : Tracing.DISABLED,
            Handler = "bootstrap",
            Architecture = architecture,
            MemorySize = props.MemorySize,
            Timeout = props.Timeout ?? Duration.Seconds(10),
            Environment = WithGcSettings(props.Environment),
            LogGroup = LogGroup,
            Code = Code.FromAsset(repository.ProjectFolder(Name), new Amazon.CDK.AWS.S3.Assets.AssetOptions
            {
                AssetHashType = AssetHashType.CUSTOM,
                // CDK hashes this again with the bundling options into the asset's name: one changes exactly when the other does.
                AssetHash = InputsHash,
                Bundling = new BundlingOptions
                {
                    // Required by the type, never run: local bundling always succeeds, so CDK never falls back to Docker.
                    Image = DockerImage.FromRegistry("docker-bundling-is-not-used"),
                    Local = new NativeAotBundling(Stack.Of(this).BundlingRequired ? Build(builder, request) : ""),
                    OutputType = BundlingOutput.ARCHIVED,
                },
            }),
        });

        var resource = (CfnFunction)Function.Node.DefaultChild!;
        resource.AddMetadata(ProjectMetadataKey, Project);
        resource.AddMetadata(FunctionMetadataKey, Name);
        Nag.Suppress(Function, ("Serverless-LambdaDLQ",
            "Invoked synchronously by HTTP API only: the caller gets the error at once, and Lambda uses a dead-letter queue for asynchronous invocations alone."));
        if (props.Tracing && Role.Node.TryFindChild("DefaultPolicy") is { } policy)
        {
            Nag.Suppress(policy, ("AwsSolutions-IAM5[Resource::*]",
                "xray:PutTraceSegments and xray:PutTelemetryRecords, added by Lambda for active tracing, support no resource-level permissions: AWS documents Resource * for them."));
        }
    }

    /// <summary>The project folder relative to the repository root, e.g. "lambdas/Items.Get".</summary>
    public string Project { get; }

    /// <summary>The project's name, e.g. "Items.Get".</summary>
    public string Name { get; }

    /// <summary>The build core's input hash of the function (what `./fn build` skips by), given to CDK as the custom asset hash.</summary>
    public string InputsHash { get; }

    public Function Function { get; }

    public LogGroup LogGroup { get; }

    public Role Role { get; }

    /// <summary>
    /// Builds now, while the construct is made, not in CDK's bundling callback: an exception thrown there comes back
    /// through jsii as a stack trace, and a host that lacks a piece would fail only after the functions before it built.
    /// </summary>
    private static string Build(FunctionBuilder builder, BuildRequest request)
    {
        try
        {
            var result = builder.BuildAsync(request, building: () => Console.Error.WriteLine($"Building {request} with the build core (fn build)...")).GetAwaiter().GetResult();
            Console.Error.WriteLine(result.UpToDate
                ? $"{request}: up to date"
                : $"{request}: built in {result.Elapsed.TotalSeconds:0} s, zip {new FileInfo(result.Zip).Length / 1048576.0:0.0} MB");
            return result.Zip;
        }
        catch (BuildException e)
        {
            throw new SynthesisException(e.Message);
        }
    }

    private static Functions.Build.Architecture TargetFor(Architecture architecture) =>
        Functions.Build.Architecture.Parse(architecture.Name)
        ?? throw new SynthesisException($"Lambda architecture '{architecture.Name}' has no Native AOT target here; use arm64 or x86_64.");

    /// <summary>
    /// The GC's smallest gen0 budget: 512 KiB (the variable is hex, without 0x, as the runtime reads it). By default the
    /// GC sizes gen0 from the CPU's cache, tens of MB on a server part, and a function's heap grows to that before its
    /// first collection. Measured with ./fn bench --warm 1000, peak RSS of Items.Get: 35 MB by default,
    /// 26 MB at 1 MiB; after our DynamoDB client replaced the AWS SDK, 21-22 MB at 1 MiB and 20 MB at 512 KiB, warm
    /// p50 and init unchanged within noise (two runs of 20 cold starts each). DOTNET_GCgen0size in a Native AOT binary
    /// is only read from the environment, which is also what Lambda lets a function set. A function's own value wins.
    /// </summary>
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    public const string Gen0Size = "80000";

    private static Dictionary<string, string> WithGcSettings(IReadOnlyDictionary<string, string> declared)
    {
        var environment = declared.ToDictionary();
        environment.TryAdd(Gen0SizeVariable, Gen0Size);
        return environment;
    }
}
