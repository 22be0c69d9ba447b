using Amazon.CDK;
using Amazon.CDK.Assertions;
using Functions.Build;
using Functions.Cdk;

namespace Functions.Infra.Tests;

/// <summary>
/// The JWT authorizer: issuer and audiences from context, which routes need a token and which scopes
/// from each function's declaration ([Authorize], [AllowAnonymous], or the default: writes need a token once there is
/// an issuer).
/// </summary>
public sealed class AuthorizationTests(DefaultStackFixture repositoryStack, CustomStackFixture customStack)
    : IClassFixture<DefaultStackFixture>, IClassFixture<CustomStackFixture>
{
    [Fact]
    public void The_writes_need_a_token_with_their_declared_scope_and_the_reads_stay_open()
    {
        var routes = repositoryStack.Template.FindResources("AWS::ApiGatewayV2::Route");
        var byKey = routes.Values.Select(r => (Props)((Dictionary<string, object>)r)["Properties"])
            .ToDictionary(p => (string)p["RouteKey"], p => p);

        foreach (var write in new[] { "POST /items", "PUT /items/{id}", "DELETE /items/{id}" })
        {
            Assert.Equal("JWT", byKey[write]["AuthorizationType"]);
            Assert.Equal(new object[] { "items:write" }, (object[])byKey[write]["AuthorizationScopes"]);
        }
        foreach (var read in new[] { "GET /items", "GET /items/{id}", "GET /hello" })
        {
            Assert.Equal("NONE", byKey[read]["AuthorizationType"]);
            Assert.False(byKey[read].ContainsKey("AuthorizationScopes"));
        }
    }

    [Fact]
    public void The_authorizer_takes_its_issuer_and_audiences_from_context()
    {
        customStack.Template.ResourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
        customStack.Template.HasResourceProperties("AWS::ApiGatewayV2::Authorizer", new Props
        {
            ["ApiId"] = Match.AnyValue(),
            ["Name"] = "JwtAuthorizer",
            ["AuthorizerType"] = "JWT",
            ["IdentitySource"] = new[] { "$request.header.Authorization" },
            ["JwtConfiguration"] = new Props
            {
                ["Issuer"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example",
                ["Audience"] = new[] { "client-one", "client-two" },
            },
        });
    }

    [Fact]
    public void The_placeholder_issuer_of_cdk_json_is_warned_about_at_synthesis()
    {
        Amazon.CDK.Assertions.Annotations.FromStack(repositoryStack.Stack)
            .HasWarning("*", Match.StringLikeRegexp("jwtIssuer https://issuer.fn.invalid/ is a placeholder"));
    }

    [Fact]
    public void Without_an_issuer_a_function_that_declares_Authorize_stops_synthesis_with_the_fix()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { [StackFixture.BundlingStacksKey] = Array.Empty<string>() } });

        var error = Assert.Throws<SynthesisException>(() => new ItemsApiStack(app, ItemsApiSettings.FromContext(app.Node)));

        Assert.Contains("declares [Authorize], but the stack has no JWT issuer", error.Message, StringComparison.Ordinal);
        Assert.Contains("jwtIssuer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_that_declares_nothing_needs_any_valid_token_once_there_is_an_issuer()
    {
        using var repository = RepositoryWith("""[HttpApi("POST", "/things")]""");

        var template = Synthesize(repository, WithIssuer);

        template.HasResourceProperties("AWS::ApiGatewayV2::Route", new Props
        {
            ["ApiId"] = Match.AnyValue(),
            ["RouteKey"] = "POST /things",
            ["AuthorizationType"] = "JWT",
            ["AuthorizerId"] = Match.AnyValue(),
            ["Target"] = Match.AnyValue(),
        });
    }

    [Fact]
    public void A_write_that_declares_nothing_is_open_and_warned_about_without_an_issuer()
    {
        using var repository = RepositoryWith("""[HttpApi("POST", "/things")]""");

        var (template, warnings) = SynthesizeWithWarnings(repository, []);

        template.HasResourceProperties("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props { ["RouteKey"] = "POST /things", ["AuthorizationType"] = "NONE" }));
        template.ResourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
        Assert.Contains(warnings, w => w.Contains("POST /things is open to anyone", StringComparison.Ordinal));
    }

    [Fact]
    public void An_anonymous_write_is_open_with_its_reason_for_cdk_nag()
    {
        using var repository = RepositoryWith("""[HttpApi("DELETE", "/things/{id}")] [AllowAnonymous]""");

        var template = Synthesize(repository, WithIssuer);

        template.HasResource("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props
        {
            ["Properties"] = Match.ObjectLike(new Props { ["RouteKey"] = "DELETE /things/{id}", ["AuthorizationType"] = "NONE" }),
            ["Metadata"] = Match.ObjectLike(new Props
            {
                ["cdk_nag"] = new Props
                {
                    ["rules_to_suppress"] = new[] { new Props { ["id"] = "AwsSolutions-APIG4", ["reason"] = "Declared [AllowAnonymous] in lambdas/Thing: this route is open on purpose." } },
                },
            }),
        }));
    }

    [Fact]
    public void A_read_can_need_a_token_and_its_scopes()
    {
        using var repository = RepositoryWith("""[HttpApi("GET", "/things")] [Authorize("things:read", "things:admin")]""");

        var template = Synthesize(repository, WithIssuer);

        template.HasResourceProperties("AWS::ApiGatewayV2::Route", Match.ObjectLike(new Props
        {
            ["RouteKey"] = "GET /things",
            ["AuthorizationType"] = "JWT",
            ["AuthorizationScopes"] = new[] { "things:read", "things:admin" },
        }));
    }

    [Theory]
    [InlineData("http://issuer.example.com/", "items-api", "is not valid: expected the issuer's https URL")]
    [InlineData("not a url", "items-api", "is not valid: expected the issuer's https URL")]
    [InlineData("https://issuer.example.com/", null, "jwtIssuer is set without jwtAudience")]
    [InlineData(null, "items-api", "jwtAudience is set without jwtIssuer")]
    public void A_half_or_malformed_issuer_configuration_stops_synthesis_with_the_fix(string? issuer, string? audience, string expected)
    {
        var context = new Dictionary<string, object> { [StackFixture.BundlingStacksKey] = Array.Empty<string>() };
        if (issuer is not null)
        {
            context[ItemsApiSettings.Keys.JwtIssuer] = issuer;
        }
        if (audience is not null)
        {
            context[ItemsApiSettings.Keys.JwtAudience] = audience;
        }
        var app = new App(new AppProps { Context = context });

        var error = Assert.Throws<SynthesisException>(() => ItemsApiSettings.FromContext(app.Node));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, object> WithIssuer = new()
    {
        [ItemsApiSettings.Keys.JwtIssuer] = "https://issuer.example.com/",
        [ItemsApiSettings.Keys.JwtAudience] = "things",
    };

    private static Template Synthesize(TempDirectory repository, Dictionary<string, object> context) => SynthesizeWithWarnings(repository, context).Template;

    private static (Template Template, IReadOnlyList<string> Warnings) SynthesizeWithWarnings(TempDirectory repository, Dictionary<string, object> context)
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object>(context) { [StackFixture.BundlingStacksKey] = Array.Empty<string>() } });
        var stack = new ItemsApiStack(app, ItemsApiSettings.FromContext(app.Node), new Repository(repository.Path));
        var warnings = Amazon.CDK.Assertions.Annotations.FromStack(stack).FindWarning("*", Match.AnyValue()).Select(w => w.Entry.Data?.ToString() ?? "").ToList();
        return (Template.FromStack(stack), warnings);
    }

    /// <summary>A repository with one function, lambdas/Thing, whose handler carries the given attributes.</summary>
    private static TempDirectory RepositoryWith(string attributes)
    {
        var repository = new TempDirectory();
        repository.Write("Functions.sln", "");
        repository.Write("Directory.Build.props", "<Project><PropertyGroup><FunctionsTargetFramework>net10.0</FunctionsTargetFramework></PropertyGroup></Project>");
        repository.Write("lambdas/Thing/Thing.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repository.Write("lambdas/Thing/Thing.cs", $$"""
            public static class Thing
            {
                {{attributes}}
                public static HttpApiResponse Handle() => Results.NoContent();
            }
            """);
        return repository;
    }
}
