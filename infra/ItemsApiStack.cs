using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using Functions.Build;
using Functions.Infra.NativeAot;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace Functions.Infra;

/// <summary>
/// The Items API: one DynamoDB table, one Native AOT function per route, an HTTP API (payload 2.0) in front. The
/// functions are discovered under lambdas/, and each one's route, verb, table access and settings come from its own
/// declaration ([HttpApi], [UsesTable], [FunctionSettings]; build/FunctionCatalog.cs reads them from source): this
/// stack is the truth about tables and stack-wide settings, the functions about themselves (issue 11).
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

        // No TableName: CloudFormation names it, so copies of the stack (stackName context) never collide.
        var table = new Table(this, "Items", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "id", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            RemovalPolicy = removalPolicy,
        });
        // The tables a function may name in [UsesTable("...")], by their construct id.
        var tables = new Dictionary<string, Table>(StringComparer.Ordinal) { [table.Node.Id] = table };

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
            var routes = api.AddRoutes(new AddRoutesOptions
            {
                Path = declaration.Path,
                Methods = [Enum.Parse<HttpMethod>(declaration.Verb)],
                Integration = new HttpLambdaIntegration($"{declared.Name}Integration", function.Function),
            });
            if (declaration.Verb == "GET")
            {
                foreach (var route in routes)
                {
                    Nag.Suppress(route, ("AwsSolutions-APIG4",
                        "A read of the public catalogue: GET routes are open by design; the writes (POST, PUT, DELETE) are where authorization belongs."));
                }
            }
        }

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = stage.Url, Description = "Base URL of the Items API" });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = table.TableName, Description = "The DynamoDB table of items" });
    }

    private static Table TableFor(Dictionary<string, Table> tables, DeclaredFunction function, string name) =>
        tables.TryGetValue(name, out var table)
            ? table
            : throw new SynthesisException($"{function.Project} uses the table {name}, which the stack does not define "
                + $"(tables: {string.Join(", ", tables.Keys)}): fix [UsesTable] or add the table in infra/ItemsApiStack.cs.");
}
