using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;
using Functions.Cdk;

namespace FnApp.Infra;

/// <summary>
/// The app's stack: its tables, and its functions (one per handler under lambdas/, made by FunctionsHttpApi from each
/// one's declaration: route, table access, settings, authorization) behind an HTTP API.
/// </summary>
public sealed class FnAppStack : Stack
{
    public FnAppStack(Construct scope, string id, string? jwtIssuer, string? jwtAudience)
        : base(scope, id, new StackProps { Description = "FnApp: Native AOT C# functions behind an HTTP API." })
    {
        // A function names a table in [UsesTable("...")] by its key here, e.g.
        // ["Orders"] = new Table(this, "Orders", new TableProps { PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "id", Type = AttributeType.STRING }, BillingMode = BillingMode.PAY_PER_REQUEST, PointInTimeRecovery = true }),
        var tables = new Dictionary<string, ITable>(StringComparer.Ordinal);

        var api = new FunctionsHttpApi(this, "Http", new FunctionsHttpApiProps
        {
            Tables = tables,
            JwtIssuer = jwtIssuer,
            JwtAudience = jwtAudience is null ? [] : jwtAudience.Split(','),
            Description = "FnApp",
            // Requests a second for the default stage, and bursts: a bound on what a mistake or an attack can cost.
            Throttle = new ThrottleSettings { RateLimit = 50, BurstLimit = 100 },
            OpenReadsReason = "A public read: reads are open by design; the writes (POST, PUT, PATCH, DELETE) need a token from the JWT authorizer.",
        });

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = api.Stage.Url, Description = "Base URL of the API" });
    }
}
