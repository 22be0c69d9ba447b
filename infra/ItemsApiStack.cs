using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;
using Functions.Build;
using Functions.Cdk;

namespace Functions.Infra;

/// <summary>
/// The Items API: one DynamoDB table, and the functions under lambdas/ behind an HTTP API (FunctionsHttpApi makes
/// them from their declarations). What is the Items app's own is here: its table, its CORS headers, why its reads
/// are open; StackTables names its tables.
/// </summary>
public sealed class ItemsApiStack : Stack
{
    public ItemsApiStack(Construct scope, ItemsApiSettings settings, Repository? repository = null)
        : base(scope, settings.StackName, new StackProps { Description = "Items API: Native AOT C# functions behind an HTTP API, one DynamoDB table." })
    {
        var removalPolicy = settings.Dev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

        // No TableName: CloudFormation names each, so copies of the stack (stackName context) never collide.
        var tables = StackTables.All.ToDictionary(t => t.Id, t => (ITable)new Table(this, t.Id, new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = t.PartitionKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            RemovalPolicy = removalPolicy,
        }), StringComparer.Ordinal);

        var api = new FunctionsHttpApi(this, "Http", new FunctionsHttpApiProps
        {
            AppRoot = repository?.Root,
            Tables = tables,
            JwtIssuer = settings.JwtIssuer,
            JwtAudience = settings.JwtAudience,
            Description = "Items API",
            Cors = settings.CorsOrigins.Count == 0 ? null : new CorsPreflightOptions
            {
                AllowOrigins = [.. settings.CorsOrigins],
                AllowMethods = [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
                AllowHeaders = ["content-type", "if-match"],
                ExposeHeaders = ["etag", "location"],
            },
            Throttle = new ThrottleSettings { RateLimit = settings.ThrottlingRate, BurstLimit = settings.ThrottlingBurst },
            Architecture = settings.Architecture,
            MemorySize = settings.MemorySize,
            Tracing = settings.Tracing,
            LogRemovalPolicy = removalPolicy,
            OpenReadsReason = "A read of the public catalogue: reads are open by design; the writes (POST, PUT, PATCH, DELETE) need a token from the JWT authorizer.",
        });

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = api.Stage.Url, Description = "Base URL of the Items API" });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = tables[StackTables.Items.Id].TableName, Description = "The DynamoDB table of items" });
    }
}
