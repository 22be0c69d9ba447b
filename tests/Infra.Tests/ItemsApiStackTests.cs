using System.Text.Json;
using Amazon.CDK.Assertions;
using Functions.Cdk;
using Functions.Cdk.NativeAot;

namespace Functions.Infra.Tests;

/// <summary>The ItemsApi stack with every default.</summary>
public sealed class ItemsApiStackTests(DefaultStackFixture fixture) : IClassFixture<DefaultStackFixture>
{
    private readonly Template _template = fixture.Template;

    [Fact]
    public void The_stack_is_named_ItemsApi()
    {
        Assert.Equal("ItemsApi", fixture.Stack.StackName);
    }

    [Fact]
    public void The_stack_holds_a_function_per_project_under_lambdas_and_a_route_and_integration_per_declared_route()
    {
        var functions = global::Functions.Build.FunctionCatalog.Discover(global::Functions.Build.Repository.Locate());
        var routed = functions.Count(f => f.Declaration.RouteKey is not null);

        _template.ResourceCountIs("AWS::Lambda::Function", functions.Count);
        _template.ResourceCountIs("AWS::ApiGatewayV2::Route", routed);
        _template.ResourceCountIs("AWS::ApiGatewayV2::Integration", routed);
        Assert.True(routed < functions.Count, "Items.Export has a function URL and no route");
    }

    [Fact]
    public void The_export_has_its_own_AWS_IAM_function_URL_that_streams_and_a_stack_output_with_its_address()
    {
        _template.ResourceCountIs("AWS::Lambda::Url", 1);
        _template.HasResourceProperties("AWS::Lambda::Url", new Props
        {
            ["AuthType"] = "AWS_IAM",
            ["InvokeMode"] = "RESPONSE_STREAM",
            ["TargetFunctionArn"] = new Props { ["Fn::GetAtt"] = new object[] { _template.FunctionId("Items.Export"), "Arn" } },
        });
        Assert.Contains(_template.FindOutputs("*").Values, o => System.Text.Json.JsonSerializer.Serialize(o).Contains("The function URL of Items.Export", StringComparison.Ordinal));
    }

    [Fact]
    public void The_stack_holds_a_log_group_per_function_and_one_for_the_stage_s_access_log()
    {
        _template.ResourceCountIs("AWS::Logs::LogGroup", global::Functions.Build.Repository.Locate().FunctionNames().Count + 1);
    }

    [Theory]
    [InlineData("AWS::ApiGatewayV2::Api")]
    [InlineData("AWS::ApiGatewayV2::Stage")]
    [InlineData("AWS::DynamoDB::Table")]
    public void The_stack_holds_one_table_and_one_HTTP_API(string type)
    {
        _template.ResourceCountIs(type, 1);
    }

    [Fact]
    public void Every_declared_route_is_in_the_stack_with_its_function()
    {
        foreach (var (function, routeKey) in global::Functions.Build.FunctionCatalog.Discover(global::Functions.Build.Repository.Locate())
            .Where(f => f.Declaration.RouteKey is not null).Select(f => (f, f.Declaration.RouteKey!)))
        {
            var integration = _template.FindResources("AWS::ApiGatewayV2::Integration", Match.ObjectLike(new Props
            {
                ["Properties"] = Match.ObjectLike(new Props { ["IntegrationUri"] = TemplateQueries.ArnOf(_template.FunctionId(function.Name)) }),
            })).Keys.Single();
            _template.HasResourceProperties("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props
            {
                ["RouteKey"] = routeKey,
                ["Target"] = new Props { ["Fn::Join"] = new object[] { "", new object[] { "integrations/", TemplateQueries.Ref(integration) } } },
            }));
        }
    }

    [Fact]
    public void Every_function_runs_bootstrap_on_provided_al2023()
    {
        _template.AllResourcesProperties("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Runtime"] = "provided.al2023",
            ["Handler"] = "bootstrap",
        }));
    }

    [Fact]
    public void Every_function_is_arm64_by_default()
    {
        _template.AllResourcesProperties("AWS::Lambda::Function", Match.ObjectLike(new Props { ["Architectures"] = new[] { "arm64" } }));
    }

    [Fact]
    public void Every_function_has_256_MB_and_10_seconds_by_default_and_the_export_the_5_minutes_it_declares()
    {
        foreach (var (id, function) in _template.FindResources("AWS::Lambda::Function"))
        {
            var properties = System.Text.Json.JsonSerializer.SerializeToElement(function).GetProperty("Properties");
            Assert.Equal(256, properties.GetProperty("MemorySize").GetInt32());
            Assert.Equal(id == _template.FunctionId("Items.Export") ? 300 : 10, properties.GetProperty("Timeout").GetInt32());
        }
    }

    /// <summary>Every function under lambdas/: a new one is covered the moment it exists.</summary>
    public static TheoryData<string> Functions => new(global::Functions.Build.Repository.Locate().FunctionNames());

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_function_names_its_project_in_metadata_for_the_local_runner(string function)
    {
        _template.HasResource("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Metadata"] = Match.ObjectLike(new Props { ["fn:project"] = $"lambdas/{function}", ["fn:function"] = function }),
        }));
    }

    [Theory]
    [InlineData("GET /hello", "Hello")]
    [InlineData("POST /items", "Items.Create")]
    [InlineData("GET /items", "Items.List")]
    [InlineData("GET /items/{id}", "Items.Get")]
    [InlineData("PUT /items/{id}", "Items.Update")]
    [InlineData("DELETE /items/{id}", "Items.Delete")]
    public void Every_route_maps_to_its_function(string routeKey, string function)
    {
        // Arrange
        var integration = new Capture();

        // Act
        _template.HasResourceProperties("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props
        {
            ["RouteKey"] = routeKey,
            ["Target"] = new Props { ["Fn::Join"] = new object[] { "", new object[] { "integrations/", new Props { ["Ref"] = integration } } } },
        }));
        var integrationsOfFunction = _template.FindResources("AWS::ApiGatewayV2::Integration", Match.ObjectLike(new Props
        {
            ["Properties"] = Match.ObjectLike(new Props { ["IntegrationUri"] = TemplateQueries.ArnOf(_template.FunctionId(function)) }),
        }));

        // Assert
        Assert.Equal([integration.AsString()], integrationsOfFunction.Keys);
    }

    [Fact]
    public void Every_integration_is_a_Lambda_proxy_with_payload_format_2_0()
    {
        _template.AllResourcesProperties("AWS::ApiGatewayV2::Integration", Match.ObjectLike(new Props
        {
            ["IntegrationType"] = "AWS_PROXY",
            ["PayloadFormatVersion"] = "2.0",
        }));
    }

    [Theory]
    [InlineData("Items.Create", "dynamodb:PutItem")]
    [InlineData("Items.Get", "dynamodb:GetItem")]
    [InlineData("Items.List", "dynamodb:Scan")]
    [InlineData("Items.Update", "dynamodb:GetItem", "dynamodb:UpdateItem")]
    [InlineData("Items.Delete", "dynamodb:DeleteItem", "dynamodb:GetItem")]
    public void Each_function_may_call_exactly_its_DynamoDB_actions_on_the_table(string function, params string[] expected)
    {
        // Arrange
        var role = _template.RoleId(function);
        var statement = new Capture(Match.ObjectEquals(new Props
        {
            ["Action"] = Match.AnyValue(),
            ["Effect"] = "Allow",
            ["Resource"] = TemplateQueries.ArnOf(_template.TableId()),
        }));

        // Act: the role's policy, and its one statement on the table's ARN (the others are its log group's and X-Ray's).
        var policies = _template.FindResources("AWS::IAM::Policy", Match.ObjectLike(new Props
        {
            ["Properties"] = Match.ObjectLike(new Props { ["Roles"] = Match.ArrayWith([TemplateQueries.Ref(role)]) }),
        }));
        _template.HasResourceProperties("AWS::IAM::Policy", Match.ObjectLike(new Props
        {
            ["Roles"] = new object[] { TemplateQueries.Ref(role) },
            ["PolicyDocument"] = Match.ObjectLike(new Props { ["Statement"] = Match.ArrayWith([statement]) }),
        }));

        // Assert
        Assert.Single(policies);
        string[] granted = statement.AsObject()["Action"] switch
        {
            string one => [one], // CloudFormation writes one action as a string, several as a list
            object[] several => [.. several.Cast<string>()],
            var other => throw new InvalidOperationException($"Unexpected Action {other}"),
        };
        Assert.Equal(expected.Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hello_may_only_write_its_log_group_and_traces()
    {
        var policies = _template.FindResources("AWS::IAM::Policy", Match.ObjectLike(new Props
        {
            ["Properties"] = Match.ObjectLike(new Props { ["Roles"] = Match.ArrayWith([TemplateQueries.Ref(_template.RoleId("Hello"))]) }),
        }));

        var text = JsonSerializer.Serialize(Assert.Single(policies).Value);
        Assert.DoesNotContain("dynamodb:", text, StringComparison.Ordinal);
        Assert.Contains("logs:PutLogEvents", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_policy_has_a_wildcard_action_or_resource()
    {
        // Arrange
        var statements = new Capture();
        _template.AllResourcesProperties("AWS::IAM::Policy", Match.ObjectLike(new Props
        {
            ["PolicyDocument"] = Match.ObjectLike(new Props { ["Statement"] = statements }),
        }));

        // Act: every Action and Resource of every statement, as JSON text, so a "*" inside Fn::Join is found too.
        var wildcards = new List<string>();
        do
        {
            foreach (var statement in statements.AsArray().Cast<IDictionary<string, object>>())
            {
                // X-Ray's two write actions take no resource-level permissions: AWS documents Resource "*" for them.
                if (JsonSerializer.Serialize(statement["Action"]) == """["xray:PutTraceSegments","xray:PutTelemetryRecords"]""")
                {
                    continue;
                }
                wildcards.AddRange(new[] { "Action", "Resource", "NotAction", "NotResource" }
                    .Where(key => statement.ContainsKey(key) && JsonSerializer.Serialize(statement[key]).Contains('*'))
                    .Select(key => $"{key}: {JsonSerializer.Serialize(statement[key])}"));
            }
        }
        while (statements.Next());

        // Assert
        Assert.Empty(wildcards);
    }

    [Fact]
    public void The_functions_that_use_the_table_get_its_name_in_TABLE_NAME()
    {
        var withTable = _template.FindResources("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Properties"] = Match.ObjectLike(new Props
            {
                ["Environment"] = new Props { ["Variables"] = Match.ObjectLike(new Props { ["TABLE_NAME"] = TemplateQueries.Ref(_template.TableId()) }) },
            }),
        }));

        Assert.Equal(
            new[] { "Items.Create", "Items.Delete", "Items.Export", "Items.Get", "Items.List", "Items.Update" }.Select(_template.FunctionId).Order(),
            withTable.Keys.Order());
    }

    [Fact]
    public void Hello_uses_no_table_and_gets_only_the_GC_setting_every_function_gets()
    {
        _template.HasResource("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Metadata"] = Match.ObjectLike(new Props { ["fn:function"] = "Hello" }),
            ["Properties"] = Match.ObjectLike(new Props
            {
                ["Environment"] = new Props { ["Variables"] = new Props { [NativeAotFunction.Gen0SizeVariable] = NativeAotFunction.Gen0Size } },
            }),
        }));
    }

    [Fact]
    public void Every_function_gets_a_small_gen0_budget()
    {
        var all = _template.FindResources("AWS::Lambda::Function").Count;
        var withGen0 = _template.FindResources("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Properties"] = Match.ObjectLike(new Props
            {
                ["Environment"] = Match.ObjectLike(new Props { ["Variables"] = Match.ObjectLike(new Props { [NativeAotFunction.Gen0SizeVariable] = NativeAotFunction.Gen0Size }) }),
            }),
        })).Count;

        Assert.True(all > 0);
        Assert.Equal(all, withGen0);
    }

    [Fact]
    public void The_table_is_keyed_by_a_string_id()
    {
        _template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Props
        {
            ["KeySchema"] = new object[] { new Props { ["AttributeName"] = "id", ["KeyType"] = "HASH" } },
            ["AttributeDefinitions"] = new object[] { new Props { ["AttributeName"] = "id", ["AttributeType"] = "S" } },
        }));
    }

    [Fact]
    public void The_table_bills_on_demand_with_point_in_time_recovery_and_no_fixed_name()
    {
        _template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Props
        {
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["PointInTimeRecoverySpecification"] = new Props { ["PointInTimeRecoveryEnabled"] = true },
            ["TableName"] = Match.Absent(),
        }));
    }

    [Fact]
    public void The_table_is_retained_when_the_stack_is_deleted()
    {
        _template.HasResource("AWS::DynamoDB::Table", Match.ObjectLike(new Props
        {
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
        }));
    }

    [Fact]
    public void Every_log_group_keeps_two_weeks_of_logs()
    {
        _template.AllResourcesProperties("AWS::Logs::LogGroup", Match.ObjectLike(new Props { ["RetentionInDays"] = 14 }));
    }

    [Fact]
    public void Every_function_logs_to_its_own_log_group()
    {
        // Arrange
        var logGroup = new Capture();
        _template.AllResourcesProperties("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["LoggingConfig"] = Match.ObjectLike(new Props { ["LogGroup"] = new Props { ["Ref"] = logGroup } }),
        }));

        // Act
        var used = new List<string>();
        do
        {
            used.Add(logGroup.AsString());
        }
        while (logGroup.Next());

        // Assert
        Assert.Equal(_template.FindResources("AWS::Logs::LogGroup").Keys.Where(k => !k.Contains("AccessLogs", StringComparison.Ordinal)).Order(), used.Order());
    }

    [Fact]
    public void The_default_stage_is_throttled_at_50_requests_per_second_with_bursts_of_100()
    {
        _template.HasResourceProperties("AWS::ApiGatewayV2::Stage", Match.ObjectLike(new Props
        {
            ["StageName"] = "$default",
            ["AutoDeploy"] = true,
            ["DefaultRouteSettings"] = Match.ObjectLike(new Props { ["ThrottlingRateLimit"] = 50, ["ThrottlingBurstLimit"] = 100 }),
        }));
    }

    [Fact]
    public void CORS_is_off_unless_configured()
    {
        _template.HasResourceProperties("AWS::ApiGatewayV2::Api", Match.ObjectLike(new Props
        {
            ["ProtocolType"] = "HTTP",
            ["CorsConfiguration"] = Match.Absent(),
        }));
    }

    [Fact]
    public void The_API_URL_is_an_output()
    {
        _template.HasOutput("ApiUrl", Match.ObjectLike(new Props
        {
            ["Value"] = Match.ObjectLike(new Props
            {
                ["Fn::Join"] = Match.ArrayWith([Match.ArrayWith([TemplateQueries.Ref(_template.FindResources("AWS::ApiGatewayV2::Api").Keys.Single())])]),
            }),
        }));
    }

    [Fact]
    public void The_table_name_is_an_output()
    {
        _template.HasOutput("TableName", Match.ObjectLike(new Props { ["Value"] = TemplateQueries.Ref(_template.TableId()) }));
    }
}
