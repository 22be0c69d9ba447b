using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AwsApigatewayv2Authorizers;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using Functions.Build;
using Functions.Declarations;
using Functions.Infra.NativeAot;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace Functions.Infra;

/// <summary>
/// The Items API: one DynamoDB table, one Native AOT function per route, an HTTP API (payload 2.0) in front. The
/// functions are discovered under lambdas/, and each one's route, verb, table access and settings come from its own
/// declaration ([HttpApi], [UsesTable], [FunctionSettings]; build/FunctionCatalog.cs reads them from source): this
/// stack is the truth about stack-wide settings, build/StackTables.cs about the tables, the functions about
/// themselves.
/// </summary>
public sealed class ItemsApiStack : Stack
{
    public ItemsApiStack(Construct scope, ItemsApiSettings settings, Repository? repository = null)
        : base(scope, settings.StackName, new StackProps { Description = "Items API: Native AOT C# functions behind an HTTP API, one DynamoDB table." })
    {
        var removalPolicy = settings.Dev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
        IReadOnlyList<DeclaredFunction> functions;
        try
        {
            functions = FunctionCatalog.Discover(repository ?? Repository.Locate());
        }
        catch (BuildException e)
        {
            throw new SynthesisException(e.Message);
        }

        // The tables a function may name in [UsesTable("...")], by their construct id: build/StackTables.cs lists them,
        // so ./fn new knows the same ones. No TableName: CloudFormation names each, so copies of the stack
        // (stackName context) never collide.
        var tables = StackTables.All.ToDictionary(t => t.Id, t => new Table(this, t.Id, new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = t.PartitionKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            RemovalPolicy = removalPolicy,
        }), StringComparer.Ordinal);
        var table = tables[StackTables.Items.Id];

        var api = new HttpApi(this, "Api", new HttpApiProps
        {
            Description = "Items API",
            CorsPreflight = settings.CorsOrigins.Count == 0 ? null : new CorsPreflightOptions
            {
                AllowOrigins = [.. settings.CorsOrigins],
                AllowMethods = [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
                AllowHeaders = ["content-type", "if-match"],
                ExposeHeaders = ["etag", "location"],
            },
            // The default stage is made below, with throttling, which the stage HttpApi would create cannot take.
            CreateDefaultStage = false,
        });
        var stage = new HttpStage(this, "DefaultStage", new HttpStageProps
        {
            HttpApi = api,
            StageName = "$default",
            AutoDeploy = true,
            Throttle = new ThrottleSettings { RateLimit = settings.ThrottlingRate, BurstLimit = settings.ThrottlingBurst },
        });
        // Every request in the stage's access log, as JSON, kept as long as the functions' logs.
        var accessLogs = new LogGroup(this, "AccessLogs", new LogGroupProps { Retention = RetentionDays.TWO_WEEKS, RemovalPolicy = removalPolicy });
        ((CfnStage)stage.Node.DefaultChild!).AccessLogSettings = new CfnStage.AccessLogSettingsProperty
        {
            DestinationArn = accessLogs.LogGroupArn,
            Format = """{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency","integrationError":"$context.integrationErrorMessage"}""",
        };

        // One authorizer for every route that needs a token: HTTP API checks the token before any function runs.
        var authorizer = settings.JwtIssuer is { } issuer
            ? new HttpJwtAuthorizer("JwtAuthorizer", issuer, new HttpJwtAuthorizerProps { JwtAudience = [.. settings.JwtAudience] })
            : null;
        if (settings.JwtIssuer is { } placeholder && new Uri(placeholder).Host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase))
        {
            Annotations.Of(this).AddWarning($"jwtIssuer {placeholder} is a placeholder (.invalid names no host): deployed, the routes that need a token "
                + "accept none until cdk.json's jwtIssuer and jwtAudience name your issuer. ./fn serve accepts ./fn token's tokens for it.");
        }

        foreach (var declared in functions)
        {
            var declaration = declared.Declaration;
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var use in declaration.Tables)
            {
                environment[use.Variable] = TableFor(tables, declared, use.Table).TableName;
            }
            foreach (var (name, value) in declaration.Environment)
            {
                environment[name] = value;
            }
            var function = new NativeAotFunction(this, declared.Name, new NativeAotFunctionProps
            {
                Project = declared.Project,
                Architecture = settings.Architecture,
                MemorySize = declaration.MemoryMb ?? settings.MemorySize,
                Timeout = declaration.TimeoutSeconds is { } seconds ? Duration.Seconds(seconds) : null,
                Environment = environment,
                LogRemovalPolicy = removalPolicy,
                RepositoryRoot = repository?.Root,
                Tracing = settings.Tracing,
            });
            foreach (var use in declaration.Tables)
            {
                // Exactly the actions the declaration names (least privilege, not grantReadData/grantWriteData).
                function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
                {
                    Actions = [.. use.Actions],
                    Resources = [TableFor(tables, declared, use.Table).TableArn],
                }));
            }
            var needsToken = NeedsToken(declared, authorizer is not null);
            var routes = api.AddRoutes(new AddRoutesOptions
            {
                Path = declaration.Path,
                Methods = [Enum.Parse<HttpMethod>(declaration.Verb)],
                Integration = new HttpLambdaIntegration($"{declared.Name}Integration", function.Function),
                Authorizer = needsToken ? authorizer : null,
                AuthorizationScopes = needsToken && declaration.Access.Scopes.Count > 0 ? [.. declaration.Access.Scopes] : null,
            });
            foreach (var route in routes)
            {
                if (OpenOnPurpose(declared) is { } reason)
                {
                    Nag.Suppress(route, ("AwsSolutions-APIG4", reason));
                }
                else if (!needsToken)
                {
                    Annotations.Of(route).AddWarning($"{declaration.RouteKey} is open to anyone: set jwtIssuer and jwtAudience in cdk.json's context so writes need a token, "
                        + "or mark the handler [AllowAnonymous] if that is what you mean.");
                }
            }
        }

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = stage.Url, Description = "Base URL of the Items API" });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = table.TableName, Description = "The DynamoDB table of items" });
    }

    /// <summary>
    /// Whether the route gets the JWT authorizer: [Authorize] always (and then the stack must have an issuer),
    /// [AllowAnonymous] never, and otherwise the writes, once there is an issuer.
    /// </summary>
    private static bool NeedsToken(DeclaredFunction function, bool hasIssuer) => function.Declaration.Access.Kind switch
    {
        RouteAccessKind.Token when !hasIssuer => throw new SynthesisException(
            $"{function.Project} declares [Authorize], but the stack has no JWT issuer: set {ItemsApiSettings.Keys.JwtIssuer} and "
            + $"{ItemsApiSettings.Keys.JwtAudience} in cdk.json's context (or -c {ItemsApiSettings.Keys.JwtIssuer}=https://... -c {ItemsApiSettings.Keys.JwtAudience}=...)."),
        RouteAccessKind.Token => true,
        RouteAccessKind.Anonymous => false,
        _ => hasIssuer && RouteAccess.IsWrite(function.Declaration.Verb),
    };

    /// <summary>Why a route without authorization is meant to be open (cdk-nag's APIG4 suppressed with it), or null when it is not.</summary>
    private static string? OpenOnPurpose(DeclaredFunction function) => function.Declaration.Access.Kind switch
    {
        RouteAccessKind.Anonymous => $"Declared [AllowAnonymous] in {function.Project}: this route is open on purpose.",
        RouteAccessKind.Default when !RouteAccess.IsWrite(function.Declaration.Verb) =>
            "A read of the public catalogue: reads are open by design; the writes (POST, PUT, PATCH, DELETE) need a token from the JWT authorizer.",
        _ => null,
    };

    private static Table TableFor(Dictionary<string, Table> tables, DeclaredFunction function, string name) =>
        tables.TryGetValue(name, out var table)
            ? table
            : throw new SynthesisException($"{function.Project} uses the table {name}, which the stack does not define "
                + $"(tables: {string.Join(", ", tables.Keys)}): fix [UsesTable] or add the table to build/StackTables.cs.");
}
