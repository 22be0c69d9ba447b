using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using Functions.Infra.NativeAot;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace Functions.Infra;

/// <summary>
/// The Items API: one DynamoDB table, one Native AOT function per route, an HTTP API (payload 2.0) in front.
/// Everything is driven by <see cref="Routes"/>; the local runner reads the synthesized template, so this is the one truth.
/// </summary>
public sealed class ItemsApiStack : Stack
{
    /// <summary>
    /// One row per route and function. TableActions are exactly the DynamoDB calls the function makes (least privilege,
    /// not grantReadData/grantWriteData): Update and Delete also read, because after a refused conditional write with
    /// If-Match they fetch the item to tell 404 from 412 (shared/Data/ItemsStore.cs).
    /// </summary>
    public static IReadOnlyList<ItemsRoute> Routes { get; } =
    [
        new("Hello", HttpMethod.GET, "/hello", []),
        new("Items.Create", HttpMethod.POST, "/items", ["dynamodb:PutItem"]),
        new("Items.List", HttpMethod.GET, "/items", ["dynamodb:Scan"]),
        new("Items.Get", HttpMethod.GET, "/items/{id}", ["dynamodb:GetItem"]),
        new("Items.Update", HttpMethod.PUT, "/items/{id}", ["dynamodb:UpdateItem", "dynamodb:GetItem"]),
        new("Items.Delete", HttpMethod.DELETE, "/items/{id}", ["dynamodb:DeleteItem", "dynamodb:GetItem"]),
    ];

    /// <summary>The environment variable naming the table (shared/Runtime/LambdaEnvironment.cs reads it).</summary>
    public const string TableNameVariable = "TABLE_NAME";

    public ItemsApiStack(Construct scope, ItemsApiSettings settings)
        : base(scope, settings.StackName, new StackProps { Description = "Items API: Native AOT C# functions behind an HTTP API, one DynamoDB table." })
    {
        var removalPolicy = settings.Dev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

        // No TableName: CloudFormation names it, so copies of the stack (stackName context) never collide.
        var table = new Table(this, "Items", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "id", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            RemovalPolicy = removalPolicy,
        });

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

        foreach (var route in Routes)
        {
            var usesTable = route.TableActions.Count > 0;
            var function = new NativeAotFunction(this, route.Function, new NativeAotFunctionProps
            {
                Project = $"lambdas/{route.Function}",
                Architecture = settings.Architecture,
                MemorySize = settings.MemorySize,
                Environment = usesTable ? new Dictionary<string, string> { [TableNameVariable] = table.TableName } : new Dictionary<string, string>(),
                LogRemovalPolicy = removalPolicy,
            });
            if (usesTable)
            {
                function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
                {
                    Actions = [.. route.TableActions],
                    Resources = [table.TableArn],
                }));
            }
            api.AddRoutes(new AddRoutesOptions
            {
                Path = route.Path,
                Methods = [route.Method],
                Integration = new HttpLambdaIntegration($"{route.Function}Integration", function.Function),
            });
        }

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = stage.Url, Description = "Base URL of the Items API" });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = table.TableName, Description = "The DynamoDB table of items" });
    }
}

/// <summary>A route of the API and the function that serves it.</summary>
/// <param name="Function">The project folder name under lambdas/, e.g. Items.Get.</param>
/// <param name="TableActions">The DynamoDB actions the function calls on the table; empty when it does not use it.</param>
public sealed record ItemsRoute(string Function, HttpMethod Method, string Path, IReadOnlyList<string> TableActions);
