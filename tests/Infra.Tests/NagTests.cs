using System.Diagnostics;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Functions.Build;

namespace Functions.Infra.Tests;

/// <summary>
/// cdk-nag's AwsSolutions and Serverless packs on the synthesized stack, through tools/Nag/cdk-nag-check.mjs (what ./fn nag and ./fn synth run) and
/// the real cdk-nag from node_modules, on the stack as the repository's cdk.json configures it: every finding is fixed
/// or suppressed in the template with its reason (the writes need a token from the JWT authorizer). A new finding fails here.
/// </summary>
public sealed class NagTests(DefaultStackFixture stack) : IClassFixture<DefaultStackFixture>
{
    [Fact]
    public async Task The_stack_has_no_unsuppressed_finding_and_every_suppression_has_a_reason()
    {
        // Arrange
        using var folder = new TempDirectory();
        var template = Path.Combine(folder.Path, "ItemsApi.template.json");
        await File.WriteAllTextAsync(template, System.Text.Json.JsonSerializer.Serialize(stack.Template.ToJSON()));

        // Act
        var (exitCode, output) = await CheckAsync(template);

        // Assert
        var findings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("AwsSolutions-", StringComparison.Ordinal) || l.StartsWith("Serverless-", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)])
            .Select(l => l.TrimEnd("0123456789ABCDEF".ToCharArray())) // CDK's logical-id hash suffix.
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Empty(findings);
        Assert.Equal(0, exitCode);
        Assert.Contains("0 findings (17 suppressed with reasons)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_trace_and_log_only_to_their_own_log_group_and_the_stage_logs_access()
    {
        stack.Template.AllResourcesProperties("AWS::Lambda::Function", Match.ObjectLike(new Props { ["TracingConfig"] = new Props { ["Mode"] = "Active" } }));
        stack.Template.ResourcePropertiesCountIs("AWS::IAM::Role", Match.ObjectLike(new Props { ["ManagedPolicyArns"] = Match.AnyValue() }), 0);
        stack.Template.HasResourceProperties("AWS::ApiGatewayV2::Stage", Match.ObjectLike(new Props
        {
            ["AccessLogSettings"] = Match.ObjectLike(new Props { ["DestinationArn"] = Match.AnyValue() }),
        }));
        stack.Template.HasResourceProperties("AWS::Logs::LogGroup", Match.ObjectLike(new Props { ["RetentionInDays"] = 14 }));
    }

    [Fact]
    public void Tracing_is_switched_off_by_context()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>(DefaultStackFixture.CdkJsonContext())
            {
                [StackFixture.BundlingStacksKey] = Array.Empty<string>(),
                [ItemsApiSettings.Keys.Tracing] = "false",
            },
        });

        var template = Template.FromStack(new ItemsApiStack(app, ItemsApiSettings.FromContext(app.Node)));

        template.ResourcePropertiesCountIs("AWS::Lambda::Function", Match.ObjectLike(new Props { ["TracingConfig"] = new Props { ["Mode"] = "Active" } }), 0);
    }

    private static Task<(int ExitCode, string Output)> CheckAsync(string template) => CdkNag.CheckAsync(template);
}
