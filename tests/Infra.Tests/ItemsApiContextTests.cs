using Amazon.CDK.Assertions;

namespace Functions.Infra.Tests;

/// <summary>The ItemsApi stack with every context switch set: -c arch=x86_64 -c memory=512 -c dev=true ....</summary>
public sealed class ItemsApiContextTests(CustomStackFixture fixture) : IClassFixture<CustomStackFixture>
{
    private readonly Template _template = fixture.Template;

    [Fact]
    public void The_stack_name_comes_from_context()
    {
        Assert.Equal("ItemsApi-dev", fixture.Stack.StackName);
    }

    [Fact]
    public void Every_function_is_x86_64_with_the_arch_context()
    {
        _template.AllResourcesProperties("AWS::Lambda::Function", Match.ObjectLike(new Props { ["Architectures"] = new[] { "x86_64" } }));
    }

    [Fact]
    public void Every_function_gets_the_memory_from_context()
    {
        _template.AllResourcesProperties("AWS::Lambda::Function", Match.ObjectLike(new Props { ["MemorySize"] = 512 }));
    }

    [Fact]
    public void The_default_stage_is_throttled_as_the_context_says()
    {
        _template.HasResourceProperties("AWS::ApiGatewayV2::Stage", Match.ObjectLike(new Props
        {
            ["DefaultRouteSettings"] = Match.ObjectLike(new Props { ["ThrottlingRateLimit"] = 10, ["ThrottlingBurstLimit"] = 20 }),
        }));
    }

    [Fact]
    public void A_dev_stack_deletes_its_table_with_it()
    {
        _template.HasResource("AWS::DynamoDB::Table", Match.ObjectLike(new Props { ["DeletionPolicy"] = "Delete" }));
    }

    [Fact]
    public void A_dev_stack_deletes_its_log_groups_with_it()
    {
        _template.AllResources("AWS::Logs::LogGroup", Match.ObjectLike(new Props { ["DeletionPolicy"] = "Delete" }));
    }

    [Fact]
    public void CORS_allows_the_configured_origins()
    {
        _template.HasResourceProperties("AWS::ApiGatewayV2::Api", Match.ObjectLike(new Props
        {
            ["CorsConfiguration"] = Match.ObjectLike(new Props { ["AllowOrigins"] = new[] { "https://example.com" } }),
        }));
    }
}
