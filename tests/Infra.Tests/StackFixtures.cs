using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Functions.Infra.Tests;

/// <summary>The ItemsApi stack synthesized once per fixture, bundling skipped the standard CDK way (no dotnet publish).</summary>
public abstract class StackFixture
{
    /// <summary>CDK's own switch: the stacks whose assets are bundled; an empty list bundles none.</summary>
    public const string BundlingStacksKey = "aws:cdk:bundling-stacks";

    protected StackFixture(IReadOnlyDictionary<string, object> context)
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>(context) { [BundlingStacksKey] = Array.Empty<string>() },
        });
        Stack = new ItemsApiStack(app, ItemsApiSettings.FromContext(app.Node));
        Template = Template.FromStack(Stack);
    }

    public ItemsApiStack Stack { get; }

    public Template Template { get; }
}

/// <summary>No context: every default.</summary>
public sealed class DefaultStackFixture() : StackFixture(new Dictionary<string, object>());

/// <summary>Every context switch set away from its default.</summary>
public sealed class CustomStackFixture() : StackFixture(new Dictionary<string, object>
{
    [ItemsApiSettings.Keys.Architecture] = "x86_64",
    [ItemsApiSettings.Keys.Memory] = "512",
    [ItemsApiSettings.Keys.ThrottlingRate] = "10",
    [ItemsApiSettings.Keys.ThrottlingBurst] = "20",
    [ItemsApiSettings.Keys.Dev] = "true",
    [ItemsApiSettings.Keys.StackName] = "ItemsApi-dev",
    [ItemsApiSettings.Keys.CorsOrigins] = "https://example.com",
});
