using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.Assertions;
using Functions.Cdk;

namespace Functions.Infra.Tests;

/// <summary>
/// The construct on an app that is not the Items app: its own folder, its own table, two functions declared in it.
/// Everything the stack needs beyond the table and the settings comes from the construct.
/// </summary>
public sealed class FunctionsHttpApiTests : IDisposable
{
    private readonly TempDirectory _app = new();

    public FunctionsHttpApiTests()
    {
        _app.Write("Directory.Build.props", "<Project><PropertyGroup><FunctionsTargetFramework>net10.0</FunctionsTargetFramework></PropertyGroup></Project>");
        _app.Write("lambdas/Orders.Get/Orders.Get.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _app.Write("lambdas/Orders.Get/OrdersGet.cs", """
            public static class OrdersGet
            {
                [HttpApi("GET", "/orders/{id}")]
                [UsesTable("Orders", TableAccess.GetItem)]
                public static HttpApiResponse Handle(string id) => Results.NoContent();
            }
            """);
        _app.Write("lambdas/Orders.Place/Orders.Place.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _app.Write("lambdas/Orders.Place/OrdersPlace.cs", """
            public static class OrdersPlace
            {
                [HttpApi("POST", "/orders")]
                [UsesTable("Orders", TableAccess.PutItem, EnvironmentVariable = "ORDERS")]
                [Authorize("orders:write")]
                [FunctionSettings(MemoryMb = 512)]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public void An_app_s_functions_become_routes_with_exactly_their_table_actions_and_the_authorizer_where_declared()
    {
        var template = Template.FromStack(Stack(jwtIssuer: "https://issuer.example.com/"));

        template.ResourceCountIs("AWS::Lambda::Function", 2);
        template.HasResourceProperties("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props { ["RouteKey"] = "GET /orders/{id}", ["AuthorizationType"] = "NONE" }));
        template.HasResourceProperties("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props
        {
            ["RouteKey"] = "POST /orders",
            ["AuthorizationType"] = "JWT",
            ["AuthorizationScopes"] = new[] { "orders:write" },
        }));
        template.HasResourceProperties("AWS::IAM::Policy", Match.ObjectLike(new Props
        {
            ["PolicyDocument"] = Match.ObjectLike(new Props
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Props { ["Action"] = "dynamodb:PutItem" })]),
            }),
        }));
        template.HasResourceProperties("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["MemorySize"] = 512,
            ["Environment"] = new Props { ["Variables"] = Match.ObjectLike(new Props { ["ORDERS"] = Match.AnyValue() }) },
        }));
        var actions = template.FindResources("AWS::IAM::Policy").Values
            .SelectMany(p => System.Text.Json.JsonSerializer.Serialize(p).Split('"'))
            .Where(s => s.StartsWith("dynamodb:", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["dynamodb:GetItem", "dynamodb:PutItem"], actions);
    }

    [Fact]
    public void An_open_read_is_suppressed_for_cdk_nag_with_the_app_s_reason()
    {
        var template = Template.FromStack(Stack(jwtIssuer: "https://issuer.example.com/", openReads: "Orders are public."));

        template.HasResource("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props
        {
            ["Properties"] = Match.ObjectLike(new Props { ["RouteKey"] = "GET /orders/{id}" }),
            ["Metadata"] = Match.ObjectLike(new Props
            {
                ["cdk_nag"] = new Props { ["rules_to_suppress"] = new[] { new Props { ["id"] = "AwsSolutions-APIG4", ["reason"] = "Orders are public." } } },
            }),
        }));
    }

    [Fact]
    public async Task A_declared_function_URL_is_made_with_its_auth_type_and_invoke_mode_and_a_URL_alone_gets_no_route()
    {
        _app.Write("lambdas/Orders.Export/Orders.Export.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _app.Write("lambdas/Orders.Export/OrdersExport.cs", """
            public static class OrdersExport
            {
                [FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)]
                [UsesTable("Orders", TableAccess.Scan)]
                public static Task Handle(HttpResponseStream response) => Task.CompletedTask;
            }
            """);
        _app.Write("lambdas/Orders.Feed/Orders.Feed.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _app.Write("lambdas/Orders.Feed/OrdersFeed.cs", """
            public static class OrdersFeed
            {
                [HttpApi("GET", "/feed")]
                [FunctionUrl(Auth = FunctionUrlAuth.None)]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);

        var template = Template.FromStack(Stack(jwtIssuer: "https://issuer.example.com/", openReads: "Orders are public by design: anyone may read them, and writes need a token."));

        template.ResourceCountIs("AWS::Lambda::Url", 2);
        template.HasResourceProperties("AWS::Lambda::Url", new Props { ["AuthType"] = "AWS_IAM", ["InvokeMode"] = "RESPONSE_STREAM", ["TargetFunctionArn"] = Match.AnyValue() });
        template.HasResourceProperties("AWS::Lambda::Url", new Props { ["AuthType"] = "NONE", ["InvokeMode"] = "BUFFERED", ["TargetFunctionArn"] = Match.AnyValue() });
        var routes = template.FindResources("AWS::ApiGatewayV2::Route").Values
            .Select(r => System.Text.Json.JsonSerializer.SerializeToElement(r).GetProperty("Properties").GetProperty("RouteKey").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["GET /feed", "GET /orders/{id}", "POST /orders"], routes);
        Assert.Contains(template.FindOutputs("*").Values, o => System.Text.Json.JsonSerializer.Serialize(o).Contains("The function URL of Orders.Export (AWS_IAM, RESPONSE_STREAM)", StringComparison.Ordinal));
        var file = _app.Write("Orders.template.json", System.Text.Json.JsonSerializer.Serialize(template.ToJSON()));
        var (exitCode, nag) = await CdkNag.CheckAsync(file);
        Assert.True(exitCode == 0, nag);
        Assert.Contains("0 findings", nag, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_s_URL_CORS_is_given_to_every_function_URL()
    {
        _app.Write("lambdas/Orders.Feed/Orders.Feed.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _app.Write("lambdas/Orders.Feed/OrdersFeed.cs", """
            public static class OrdersFeed
            {
                [FunctionUrl(Auth = FunctionUrlAuth.None)]
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);
        var cors = new Amazon.CDK.AWS.Lambda.FunctionUrlCorsOptions
        {
            AllowedOrigins = ["https://shop.example"],
            AllowedMethods = [Amazon.CDK.AWS.Lambda.HttpMethod.GET],
            ExposedHeaders = ["etag"],
            MaxAge = Duration.Minutes(10),
        };

        var template = Template.FromStack(Stack(jwtIssuer: "https://issuer.example.com/", openReads: "Orders are public by design: anyone may read them, and writes need a token.", urlCors: cors));

        template.HasResourceProperties("AWS::Lambda::Url", new Props
        {
            ["AuthType"] = "NONE",
            ["Cors"] = new Props { ["AllowOrigins"] = new[] { "https://shop.example" }, ["AllowMethods"] = new[] { "GET" }, ["ExposeHeaders"] = new[] { "etag" }, ["MaxAge"] = 600 },
        });
    }

    [Fact]
    public void A_table_the_app_does_not_give_stops_synthesis_with_the_fix()
    {
        var error = Assert.Throws<SynthesisException>(() => Stack(jwtIssuer: "https://issuer.example.com/", withTable: false));

        Assert.Contains("lambdas/Orders.Get uses the table Orders, which the stack does not define", error.Message, StringComparison.Ordinal);
    }

    private Stack Stack(string? jwtIssuer, string? openReads = null, bool withTable = true, Amazon.CDK.AWS.Lambda.IFunctionUrlCorsOptions? urlCors = null)
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { [StackFixture.BundlingStacksKey] = Array.Empty<string>() } });
        var stack = new Stack(app, "Orders");
        var tables = new Dictionary<string, ITable>(StringComparer.Ordinal);
        if (withTable)
        {
            tables["Orders"] = new Table(stack, "Orders", new TableProps { PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "id", Type = AttributeType.STRING }, PointInTimeRecovery = true });
        }
        _ = new FunctionsHttpApi(stack, "Http", new FunctionsHttpApiProps
        {
            AppRoot = _app.Path,
            Tables = tables,
            JwtIssuer = jwtIssuer,
            JwtAudience = jwtIssuer is null ? [] : ["orders-api"],
            OpenReadsReason = openReads,
            Throttle = new Amazon.CDK.AWS.Apigatewayv2.ThrottleSettings { RateLimit = 10, BurstLimit = 20 },
            UrlCors = urlCors,
        });
        return stack;
    }
}
