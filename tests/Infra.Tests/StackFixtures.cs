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

/// <summary>The repository's cdk.json context (the placeholder issuer and its audience): the stack ./fn synth deploys.</summary>
public sealed class DefaultStackFixture() : StackFixture(CdkJsonContext())
{
    /// <summary>The "context" object of the repository's cdk.json, as the cdk CLI passes it to the app.</summary>
    public static IReadOnlyDictionary<string, object> CdkJsonContext() =>
        Functions.Build.CdkJson.Context(Functions.Build.Repository.Locate()).ToDictionary(p => p.Key, p => (object)p.Value!.ToString());
}

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
    [ItemsApiSettings.Keys.JwtIssuer] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example",
    [ItemsApiSettings.Keys.JwtAudience] = "client-one, client-two",
});
