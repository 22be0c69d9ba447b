using System.Globalization;
using System.Text.Json.Nodes;

namespace Functions.Tools.Template;

/// <summary>A function as the synthesized template deploys it.</summary>
public sealed record TemplateFunction(
    string LogicalId,
    string Name,
    string Project,
    int MemoryMb,
    TimeSpan Timeout,
    IReadOnlyDictionary<string, JsonNode?> Environment)
{
    /// <summary>The function's asset in the cloud assembly (aws:asset:path), when synth bundled it.</summary>
    public string? AssetPath { get; init; }
}

/// <summary>A DynamoDB table's key schema; locally the table is named by its logical id.</summary>
public sealed record TemplateTable(string LogicalId, IReadOnlyList<(string Name, string Type, string KeyType)> Keys)
{
    /// <summary>What the app's functions call it in [UsesTable("...")] (the template's fn:table metadata); null for a table the app's functions were not given.</summary>
    public string? Name { get; init; }
}

/// <summary>An HTTP API route ("GET /items/{id}") and the function its integration invokes.</summary>
public sealed record TemplateRoute(string RouteKey, string FunctionLogicalId)
{
    /// <summary>The JWT authorizer the route needs a token from, and its scopes; null when the route is open.</summary>
    public RouteAuthorization? Authorization { get; init; }
}

/// <summary>A function URL: the function it invokes (by logical id), its AuthType (AWS_IAM or NONE) and InvokeMode (BUFFERED or RESPONSE_STREAM).</summary>
public sealed record TemplateFunctionUrl(string FunctionLogicalId, string AuthType, string InvokeMode)
{
    /// <summary>The URL's CORS configuration; null when it has none.</summary>
    public Functions.Tools.ApiGateway.CorsPolicy? Cors { get; init; }

    public bool Streams => InvokeMode == "RESPONSE_STREAM";

    public bool NeedsSignature => AuthType != "NONE";
}

/// <summary>An HTTP API JWT authorizer: whose tokens it takes, for which audiences, and where it finds the token.</summary>
/// <param name="IdentitySource">Where the token is, as HTTP API writes it: "$request.header.Authorization".</param>
public sealed record TemplateAuthorizer(string LogicalId, string Issuer, IReadOnlyList<string> Audience, string IdentitySource)
{
    /// <summary>The header the identity source names ("Authorization" for "$request.header.Authorization"), or null for another source.</summary>
    public string? HeaderName => IdentitySource.StartsWith(HeaderSourcePrefix, StringComparison.Ordinal) ? IdentitySource[HeaderSourcePrefix.Length..] : null;

    private const string HeaderSourcePrefix = "$request.header.";
}

/// <summary>A route's authorization: a token from <paramref name="Authorizer"/> with at least one of <paramref name="Scopes"/> (any token when empty).</summary>
public sealed record RouteAuthorization(TemplateAuthorizer Authorizer, IReadOnlyList<string> Scopes);

/// <summary>
/// What the local runner needs from the CDK app's CloudFormation template: functions (found by the fn:function
/// metadata the NativeAotFunction construct writes), tables and routes. One source of truth: what deploys is what runs.
/// </summary>
public sealed class CdkTemplate
{
    // Lambda's defaults when the template leaves them out.
    private const int DefaultMemoryMb = 128;
    private const int DefaultTimeoutSeconds = 3;

    private CdkTemplate(IReadOnlyList<TemplateFunction> functions, IReadOnlyList<TemplateTable> tables, IReadOnlyList<TemplateRoute> routes, Functions.Tools.ApiGateway.CorsPolicy? cors,
        IReadOnlyList<TemplateAuthorizer> authorizers, IReadOnlyList<TemplateFunctionUrl> urls)
    {
        FunctionUrls = urls;
        Authorizers = authorizers;
        Functions = functions;
        Tables = tables;
        Routes = routes;
        Cors = cors;
    }

    /// <summary>The HTTP API's CORS configuration, or null when the API has none.</summary>
    public Functions.Tools.ApiGateway.CorsPolicy? Cors { get; }

    public IReadOnlyList<TemplateFunction> Functions { get; }
    public IReadOnlyList<TemplateTable> Tables { get; }
    public IReadOnlyList<TemplateRoute> Routes { get; }

    /// <summary>The functions' URLs (AWS::Lambda::Url), one at most per function.</summary>
    public IReadOnlyList<TemplateFunctionUrl> FunctionUrls { get; }

    /// <summary>The HTTP API's JWT authorizers (the ItemsApi stack has one when jwtIssuer is set).</summary>
    public IReadOnlyList<TemplateAuthorizer> Authorizers { get; }

    public TemplateFunction? Function(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static CdkTemplate Parse(string json)
    {
        var resources = JsonNode.Parse(json)?["Resources"]?.AsObject()
            ?? throw new BadFileError($"The synthesized template has no Resources: run {Repository.CommandHere} synth again.");
        var functions = new List<TemplateFunction>();
        var tables = new List<TemplateTable>();
        var integrations = new Dictionary<string, string>(StringComparer.Ordinal);
        var routes = new List<(string Key, string? Integration, JsonNode? Properties)>();
        var authorizers = new Dictionary<string, TemplateAuthorizer>(StringComparer.Ordinal);
        var urls = new List<TemplateFunctionUrl>();
        Functions.Tools.ApiGateway.CorsPolicy? cors = null;
        foreach (var (logicalId, resource) in resources)
        {
            var properties = resource?["Properties"];
            var type = resource?["Type"]?.GetValue<string>();
            var metadata = resource?["Metadata"];
            if (type == "AWS::Lambda::Function" && metadata?["fn:function"]?.GetValue<string>() is string name)
            {
                functions.Add(new TemplateFunction(
                    logicalId,
                    name,
                    metadata["fn:project"]?.GetValue<string>() ?? "lambdas/" + name,
                    Int(properties?["MemorySize"]) ?? DefaultMemoryMb,
                    TimeSpan.FromSeconds(Int(properties?["Timeout"]) ?? DefaultTimeoutSeconds),
                    Variables(properties))
                {
                    AssetPath = metadata["aws:asset:path"]?.GetValue<string>(),
                });
            }
            else if (type == "AWS::ApiGatewayV2::Api" && properties?["CorsConfiguration"] is JsonObject corsConfiguration)
            {
                cors = CorsOf(corsConfiguration);
            }
            else if (type == "AWS::DynamoDB::Table")
            {
                tables.Add(new TemplateTable(logicalId, Keys(properties)) { Name = metadata?["fn:table"]?.GetValue<string>() });
            }
            else if (type == "AWS::ApiGatewayV2::Integration" && GetAttTarget(properties?["IntegrationUri"]) is string function)
            {
                integrations[logicalId] = function;
            }
            else if (type == "AWS::ApiGatewayV2::Route" && properties?["RouteKey"]?.GetValue<string>() is string routeKey)
            {
                routes.Add((routeKey, RefInside(properties["Target"]), properties));
            }
            else if (type == "AWS::ApiGatewayV2::Authorizer" && properties?["AuthorizerType"]?.GetValue<string>() == "JWT")
            {
                authorizers[logicalId] = AuthorizerOf(logicalId, properties);
            }
            else if (type == "AWS::Lambda::Url" && GetAttTarget(properties?["TargetFunctionArn"]) is string target)
            {
                urls.Add(new TemplateFunctionUrl(target, properties?["AuthType"]?.GetValue<string>() ?? "AWS_IAM", properties?["InvokeMode"]?.GetValue<string>() ?? "BUFFERED")
                {
                    Cors = properties?["Cors"] is JsonObject urlCors ? CorsOf(urlCors) : null,
                });
            }
        }
        var resolved = routes
            .Where(r => r.Integration is not null && integrations.ContainsKey(r.Integration))
            .Select(r => new TemplateRoute(r.Key, integrations[r.Integration!]) { Authorization = AuthorizationOf(r.Key, r.Properties, authorizers) })
            .ToList();
        return new CdkTemplate(functions, tables, resolved, cors, [.. authorizers.Values], urls);
    }

    private static TemplateAuthorizer AuthorizerOf(string logicalId, JsonNode properties)
    {
        var configuration = properties["JwtConfiguration"];
        var issuer = configuration?["Issuer"] is JsonValue plain ? plain.GetValue<string>()
            : throw new BadFileError($"The JWT authorizer {logicalId} has no plain Issuer in the template (serve cannot resolve an intrinsic there): give jwtIssuer as text.");
        var audience = configuration?["Audience"] is JsonArray list ? list.Select(a => a?.ToString()).OfType<string>().ToList() : [];
        var source = properties["IdentitySource"] is JsonArray sources && sources.Count > 0 ? sources[0]!.ToString() : "$request.header.Authorization";
        return new TemplateAuthorizer(logicalId, issuer, audience, source);
    }

    /// <summary>AuthorizationType JWT with its AuthorizerId and AuthorizationScopes; null for NONE (or no type).</summary>
    private static RouteAuthorization? AuthorizationOf(string routeKey, JsonNode? properties, Dictionary<string, TemplateAuthorizer> authorizers)
    {
        var type = properties?["AuthorizationType"]?.GetValue<string>() ?? "NONE";
        if (type == "NONE")
        {
            return null;
        }
        if (type != "JWT")
        {
            throw new BadFileError($"The route {routeKey} uses {type} authorization; serve emulates JWT authorizers only: use HttpJwtAuthorizer for it, or no authorizer.");
        }
        var id = RefOf(properties?["AuthorizerId"]);
        if (id is null || !authorizers.TryGetValue(id, out var authorizer))
        {
            throw new BadFileError($"The route {routeKey} names the authorizer {id ?? "(none)"}, which the template does not define as a JWT authorizer: run {Repository.CommandHere} synth again.");
        }
        var scopes = properties?["AuthorizationScopes"] is JsonArray list ? list.Select(s => s?.ToString()).OfType<string>().ToList() : [];
        return new RouteAuthorization(authorizer, scopes);
    }

    private static Functions.Tools.ApiGateway.CorsPolicy CorsOf(JsonObject configuration)
    {
        static List<string> Strings(JsonNode? node) =>
            node is JsonArray array ? array.Select(v => v?.ToString()).OfType<string>().ToList() : [];
        return new Functions.Tools.ApiGateway.CorsPolicy(
            Strings(configuration["AllowOrigins"]),
            Strings(configuration["AllowMethods"]),
            Strings(configuration["AllowHeaders"]),
            Strings(configuration["ExposeHeaders"]),
            Int(configuration["MaxAge"]),
            configuration["AllowCredentials"] is JsonValue credentials && credentials.TryGetValue<bool>(out var allow) && allow);
    }

    /// <summary>
    /// A function's environment with intrinsics resolved the local way: a Ref to a table is the local table's name.
    /// Anything else that only CloudFormation can resolve is reported, not guessed.
    /// </summary>
    public IReadOnlyDictionary<string, string> ResolveEnvironment(TemplateFunction function, out IReadOnlyList<string> unresolved)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (key, value) in function.Environment)
        {
            if (value is JsonValue plain)
            {
                values[key] = plain.ToString();
            }
            else if (RefOf(value) is { } reference && Tables.Any(t => t.LogicalId == reference))
            {
                values[key] = reference;
            }
            else
            {
                missing.Add(key);
            }
        }
        unresolved = missing;
        return values;
    }

    /// <summary>The tables a function's environment refers to: the ones to create before it runs.</summary>
    public IReadOnlyList<TemplateTable> TablesUsedBy(TemplateFunction function) =>
        Tables.Where(t => function.Environment.Values.Any(v => RefOf(v) == t.LogicalId)).ToList();

    /// <summary>The target of a value that is exactly {"Ref": "X"}; null for a plain value or any other expression.</summary>
    private static string? RefOf(JsonNode? value) => value is JsonObject o && o["Ref"] is JsonValue r ? r.GetValue<string>() : null;

    private static Dictionary<string, JsonNode?> Variables(JsonNode? properties)
    {
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (properties?["Environment"]?["Variables"] is JsonObject declared)
        {
            foreach (var (key, value) in declared)
            {
                variables[key] = value;
            }
        }
        return variables;
    }

    private static List<(string Name, string Type, string KeyType)> Keys(JsonNode? properties)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var definition in properties?["AttributeDefinitions"] as JsonArray ?? [])
        {
            types[Text(definition, "AttributeName")] = Text(definition, "AttributeType");
        }
        return (properties?["KeySchema"] as JsonArray ?? [])
            .Select(k => (Text(k, "AttributeName"), types.GetValueOrDefault(Text(k, "AttributeName"), "S"), Text(k, "KeyType")))
            .ToList();
    }

    private static string Text(JsonNode? node, string property) => node?[property]?.GetValue<string>() ?? "";

    private static int? Int(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<int>(out var number) ? number : int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number) ? number : null
        : null;

    private static string? GetAttTarget(JsonNode? node) =>
        node?["Fn::GetAtt"] is JsonArray getAtt && getAtt.Count > 0 ? getAtt[0]!.GetValue<string>() : null;

    /// <summary>The first Ref anywhere inside an expression such as {"Fn::Join": ["", ["integrations/", {"Ref": "X"}]]}.</summary>
    private static string? RefInside(JsonNode? node) => node switch
    {
        JsonObject o when o["Ref"] is JsonValue r => r.GetValue<string>(),
        JsonObject o => o.Select(p => RefInside(p.Value)).FirstOrDefault(r => r is not null),
        JsonArray a => a.Select(RefInside).FirstOrDefault(r => r is not null),
        _ => null,
    };
}
