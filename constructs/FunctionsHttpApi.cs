using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AwsApigatewayv2Authorizers;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using Functions.Build;
using Functions.Cdk.NativeAot;
using Functions.Declarations;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace Functions.Cdk;

/// <summary>
/// An app's HTTP API (payload 2.0) with one Native AOT function per declared handler under its lambdas/: each
/// function's route, verb, table access, settings and authorization come from its own declaration ([HttpApi],
/// [UsesTable], [FunctionSettings], [Authorize], [AllowAnonymous]; build/FunctionCatalog.cs reads them from source),
/// with exactly the IAM actions it declares, the JWT authorizer where a token is needed, an access-logged default
/// stage, and the cdk-nag findings it causes on purpose suppressed with their reasons.
/// </summary>
public sealed class FunctionsHttpApi : Construct
{
    /// <summary>
    /// Template metadata on each table the app gives: the name its functions' [UsesTable] use. fn new takes --table
    /// by it; serve's tables are the template's, whatever names CloudFormation gives them.
    /// </summary>
    public const string TableMetadataKey = "fn:table";

    private readonly Dictionary<string, NativeAotFunction> _functions = new(StringComparer.Ordinal);

    public FunctionsHttpApi(Construct scope, string id, FunctionsHttpApiProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var functions = Discover(props.AppRoot);
        foreach (var (name, table) in props.Tables)
        {
            // A table imported by name (Table.FromTableName) has no resource in this template to mark.
            (table.Node.DefaultChild as CfnResource)?.AddMetadata(TableMetadataKey, name);
        }

        Api = new HttpApi(this, "Api", new HttpApiProps
        {
            Description = props.Description,
            CorsPreflight = props.Cors,
            // The default stage is made below, with throttling, which the stage HttpApi would create cannot take.
            CreateDefaultStage = false,
        });
        Stage = new HttpStage(this, "DefaultStage", new HttpStageProps
        {
            HttpApi = Api,
            StageName = "$default",
            AutoDeploy = true,
            Throttle = props.Throttle,
        });
        // Every request in the stage's access log, as JSON, kept as long as the functions' logs.
        var accessLogs = new LogGroup(this, "AccessLogs", new LogGroupProps { Retention = RetentionDays.TWO_WEEKS, RemovalPolicy = props.LogRemovalPolicy });
        ((CfnStage)Stage.Node.DefaultChild!).AccessLogSettings = new CfnStage.AccessLogSettingsProperty
        {
            DestinationArn = accessLogs.LogGroupArn,
            Format = """{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency","integrationError":"$context.integrationErrorMessage"}""",
        };

        // One authorizer for every route that needs a token: HTTP API checks the token before any function runs.
        var authorizer = props.JwtIssuer is { } issuer
            ? new HttpJwtAuthorizer("JwtAuthorizer", issuer, new HttpJwtAuthorizerProps { JwtAudience = [.. props.JwtAudience] })
            : null;
        if (props.JwtIssuer is { } placeholder && new Uri(placeholder).Host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase))
        {
            Annotations.Of(this).AddWarning($"jwtIssuer {placeholder} is a placeholder (.invalid names no host): deployed, the routes that need a token "
                + "accept none until cdk.json's jwtIssuer and jwtAudience name your issuer. fn serve accepts fn token's tokens for it.");
        }

        foreach (var declared in functions)
        {
            _functions[declared.Name] = Add(declared, props, authorizer);
        }
    }

    public HttpApi Api { get; }

    public HttpStage Stage { get; }

    /// <summary>Each function by its project's name under lambdas/ (Items.Get).</summary>
    public IReadOnlyDictionary<string, NativeAotFunction> Functions => _functions;

    private NativeAotFunction Add(DeclaredFunction declared, FunctionsHttpApiProps props, HttpJwtAuthorizer? authorizer)
    {
        var declaration = declared.Declaration;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var use in declaration.Tables)
        {
            environment[use.Variable] = TableFor(props.Tables, declared, use.Table).TableName;
        }
        foreach (var (name, value) in declaration.Environment)
        {
            environment[name] = value;
        }
        var function = new NativeAotFunction(this, declared.Name, new NativeAotFunctionProps
        {
            Project = declared.Project,
            Architecture = props.Architecture,
            MemorySize = declaration.MemoryMb ?? props.MemorySize,
            Timeout = declaration.TimeoutSeconds is { } seconds ? Duration.Seconds(seconds) : null,
            Environment = environment,
            LogRemovalPolicy = props.LogRemovalPolicy,
            RepositoryRoot = props.AppRoot,
            Tracing = props.Tracing,
        });
        foreach (var use in declaration.Tables)
        {
            // Exactly the actions the declaration names (least privilege, not grantReadData/grantWriteData).
            function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = [.. use.Actions],
                Resources = [TableFor(props.Tables, declared, use.Table).TableArn],
            }));
        }
        if (declaration is { Verb: { } verb, Path: { } path })
        {
            AddRoute(declared, function, verb, path, props, authorizer);
        }
        if (declaration.Url is { } url)
        {
            AddUrl(declared, function, url, props.UrlCors);
        }
        return function;
    }

    private void AddRoute(DeclaredFunction declared, NativeAotFunction function, string verb, string path, FunctionsHttpApiProps props, HttpJwtAuthorizer? authorizer)
    {
        var declaration = declared.Declaration;
        var needsToken = NeedsToken(declared, authorizer is not null);
        var routes = Api.AddRoutes(new AddRoutesOptions
        {
            Path = path,
            Methods = [Enum.Parse<HttpMethod>(verb)],
            Integration = new HttpLambdaIntegration($"{declared.Name}Integration", function.Function),
            Authorizer = needsToken ? authorizer : null,
            AuthorizationScopes = needsToken && declaration.Access.Scopes.Count > 0 ? [.. declaration.Access.Scopes] : null,
        });
        foreach (var route in routes)
        {
            if (OpenOnPurpose(declared, props.OpenReadsReason) is { } reason)
            {
                Nag.Suppress(route, ("AwsSolutions-APIG4", reason));
            }
            else if (!needsToken)
            {
                Annotations.Of(route).AddWarning($"{declaration.RouteKey} is open to anyone: set jwtIssuer and jwtAudience in cdk.json's context so writes need a token, "
                    + "or mark the handler [AllowAnonymous] if that is what you mean.");
            }
        }
    }

    /// <summary>
    /// The function's own URL with the auth type and invoke mode [FunctionUrl] declares, and a stack output with it. An
    /// open URL (NONE) lets anyone in, as [AllowAnonymous] does a route: declared, so meant.
    /// </summary>
    private void AddUrl(DeclaredFunction declared, NativeAotFunction function, FunctionUrlDeclaration url, IFunctionUrlCorsOptions? urlCors)
    {
        var functionUrl = function.Function.AddFunctionUrl(new FunctionUrlOptions
        {
            AuthType = url.AuthType == "NONE" ? FunctionUrlAuthType.NONE : FunctionUrlAuthType.AWS_IAM,
            InvokeMode = url.Streams ? InvokeMode.RESPONSE_STREAM : InvokeMode.BUFFERED,
            Cors = urlCors,
        });
        _ = new CfnOutput(this, declared.Name + "Url", new CfnOutputProps
        {
            Value = functionUrl.Url,
            Description = $"The function URL of {declared.Name} ({url.AuthType}, {url.InvokeMode})",
        });
    }

    private static IReadOnlyList<DeclaredFunction> Discover(string? appRoot)
    {
        try
        {
            return FunctionCatalog.Discover(appRoot is null ? Repository.Locate() : new Repository(appRoot));
        }
        catch (BuildException e)
        {
            throw new SynthesisException(e.Message);
        }
    }

    /// <summary>
    /// Whether the route gets the JWT authorizer: [Authorize] always (and then the stack must have an issuer),
    /// [AllowAnonymous] never, and otherwise the writes, once there is an issuer.
    /// </summary>
    private static bool NeedsToken(DeclaredFunction function, bool hasIssuer) => function.Declaration.Access.Kind switch
    {
        RouteAccessKind.Token when !hasIssuer => throw new SynthesisException(
            $"{function.Project} declares [Authorize], but the stack has no JWT issuer: set jwtIssuer and jwtAudience in cdk.json's context "
            + "(or -c jwtIssuer=https://... -c jwtAudience=...)."),
        RouteAccessKind.Token => true,
        RouteAccessKind.Anonymous => false,
        _ => hasIssuer && function.Declaration.Verb is { } verb && RouteAccess.IsWrite(verb),
    };

    /// <summary>Why a route without authorization is meant to be open (cdk-nag's APIG4 suppressed with it), or null when it is not.</summary>
    private static string? OpenOnPurpose(DeclaredFunction function, string? openReadsReason) => function.Declaration.Access.Kind switch
    {
        RouteAccessKind.Anonymous => $"Declared [AllowAnonymous] in {function.Project}: this route is open on purpose.",
        RouteAccessKind.Default when function.Declaration.Verb is { } verb && !RouteAccess.IsWrite(verb) => openReadsReason,
        _ => null,
    };

    private static ITable TableFor(IReadOnlyDictionary<string, ITable> tables, DeclaredFunction function, string name) =>
        tables.TryGetValue(name, out var table)
            ? table
            : throw new SynthesisException($"{function.Project} uses the table {name}, which the stack does not define "
                + $"(tables: {string.Join(", ", tables.Keys)}): fix [UsesTable] or add the table to the stack's Tables.");
}
