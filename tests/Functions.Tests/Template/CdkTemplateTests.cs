using Functions.Tools.Template;

namespace Functions.Tests.Template;

/// <summary>Reading the synthesized template: a function's environment (plain values beside Refs to tables), its URL.</summary>
public sealed class CdkTemplateTests
{
    private const string TemplateJson = """
        {
          "Resources": {
            "ItemsTable": { "Type": "AWS::DynamoDB::Table", "Properties": {
              "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }],
              "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }] } },
            "GetFn": { "Type": "AWS::Lambda::Function", "Metadata": { "fn:function": "Items.Get" },
              "Properties": { "Environment": { "Variables": { "DOTNET_GCgen0size": "80000", "TABLE_NAME": { "Ref": "ItemsTable" } } } } },
            "HelloFn": { "Type": "AWS::Lambda::Function", "Metadata": { "fn:function": "Hello" },
              "Properties": { "Environment": { "Variables": { "DOTNET_GCgen0size": "80000" } } } },
            "HelloFnUrl": { "Type": "AWS::Lambda::Url", "Properties": {
              "AuthType": "AWS_IAM", "InvokeMode": "RESPONSE_STREAM", "TargetFunctionArn": { "Fn::GetAtt": ["HelloFn", "Arn"] } } }
          }
        }
        """;

    [Fact]
    public void A_function_with_only_plain_variables_uses_no_table()
    {
        var template = CdkTemplate.Parse(TemplateJson);

        var tables = template.TablesUsedBy(template.Function("Hello")!);

        Assert.Empty(tables);
    }

    [Fact]
    public void A_Ref_to_a_table_beside_a_plain_value_is_found_and_resolved_to_the_local_table()
    {
        var template = CdkTemplate.Parse(TemplateJson);
        var function = template.Function("Items.Get")!;

        var tables = template.TablesUsedBy(function);
        var environment = template.ResolveEnvironment(function, out var unresolved);

        Assert.Equal("ItemsTable", Assert.Single(tables).LogicalId);
        Assert.Equal("ItemsTable", environment["TABLE_NAME"]);
        Assert.Equal("80000", environment["DOTNET_GCgen0size"]);
        Assert.Empty(unresolved);
    }

    [Fact]
    public void A_function_URL_s_CORS_is_read_as_the_API_s_is()
    {
        var template = CdkTemplate.Parse("""
            { "Resources": {
              "FeedFn": { "Type": "AWS::Lambda::Function", "Metadata": { "fn:function": "Feed" } },
              "FeedFnUrl": { "Type": "AWS::Lambda::Url", "Properties": {
                "AuthType": "NONE", "TargetFunctionArn": { "Fn::GetAtt": ["FeedFn", "Arn"] },
                "Cors": { "AllowOrigins": ["https://shop.example"], "AllowMethods": ["GET"], "AllowHeaders": ["content-type"],
                          "ExposeHeaders": ["etag"], "MaxAge": 600, "AllowCredentials": true } } } } }
            """);

        var cors = Assert.Single(template.FunctionUrls).Cors;

        Assert.NotNull(cors);
        Assert.Equal(["https://shop.example"], cors.AllowOrigins);
        Assert.Equal(["GET"], cors.AllowMethods);
        Assert.Equal(["content-type"], cors.AllowHeaders);
        Assert.Equal(["etag"], cors.ExposeHeaders);
        Assert.Equal(600, cors.MaxAgeSeconds);
        Assert.True(cors.AllowCredentials);
    }

    [Fact]
    public void A_function_URL_is_read_with_its_function_auth_type_and_invoke_mode()
    {
        var template = CdkTemplate.Parse(TemplateJson);

        var url = Assert.Single(template.FunctionUrls);

        Assert.Equal(new TemplateFunctionUrl("HelloFn", "AWS_IAM", "RESPONSE_STREAM"), url);
        Assert.Null(url.Cors);
        Assert.True(url.Streams);
        Assert.True(url.NeedsSignature);
    }
}
