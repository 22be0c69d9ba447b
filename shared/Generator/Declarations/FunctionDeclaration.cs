// Compiled into the source generator (netstandard2.0) and into the build core (build/, for the CDK app and ./fn):
// one reading of a function's declaration, so the generated program and the deployed stack can never disagree.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Functions.Declarations;

/// <summary>A table a function uses, the DynamoDB actions it may call on it, and the variable that names it.</summary>
internal sealed class TableUse
{
    public TableUse(string table, IReadOnlyList<string> actions, string variable)
    {
        Table = table;
        Actions = actions;
        Variable = variable;
    }

    /// <summary>The table's id in the CDK app (the construct id, e.g. "Items").</summary>
    public string Table { get; }

    /// <summary>Exactly the DynamoDB actions, e.g. dynamodb:GetItem: least privilege, never a wildcard.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>The environment variable that carries the table's name (TABLE_NAME unless declared).</summary>
    public string Variable { get; }
}

/// <summary>Who may call a route: as the stack decides for its verb, anyone, or holders of a valid token.</summary>
internal sealed class RouteAccess
{
    public static readonly RouteAccess Default = new(RouteAccessKind.Default, Array.Empty<string>());
    public static readonly RouteAccess Anonymous = new(RouteAccessKind.Anonymous, Array.Empty<string>());

    private RouteAccess(RouteAccessKind kind, IReadOnlyList<string> scopes)
    {
        Kind = kind;
        Scopes = scopes;
    }

    public static RouteAccess Token(IReadOnlyList<string> scopes) => new(RouteAccessKind.Token, scopes);

    public RouteAccessKind Kind { get; }

    /// <summary>With <see cref="RouteAccessKind.Token"/>: a token must carry one of these; none, any valid token will do.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The verbs that change state: they need a token by default once the stack has an issuer.</summary>
    public static bool IsWrite(string verb) => verb is "POST" or "PUT" or "PATCH" or "DELETE";

    public override string ToString() => Kind == RouteAccessKind.Token ? "token:" + string.Join(" ", Scopes) : Kind.ToString();
}

internal enum RouteAccessKind
{
    /// <summary>Nothing declared: writes need a token once the stack has an issuer, reads are open.</summary>
    Default,

    /// <summary>[AllowAnonymous]: open to anyone.</summary>
    Anonymous,

    /// <summary>[Authorize(...)]: a valid token, with one of the scopes if any are named.</summary>
    Token,
}

/// <summary>A function URL as [FunctionUrl] declares it, in CloudFormation's words.</summary>
internal sealed class FunctionUrlDeclaration
{
    public FunctionUrlDeclaration(string authType, string invokeMode)
    {
        AuthType = authType;
        InvokeMode = invokeMode;
    }

    /// <summary>AWS_IAM or NONE.</summary>
    public string AuthType { get; }

    /// <summary>BUFFERED or RESPONSE_STREAM.</summary>
    public string InvokeMode { get; }

    public bool Streams => InvokeMode == "RESPONSE_STREAM";

    public override string ToString() => AuthType + " " + InvokeMode;
}

/// <summary>
/// Everything a function says about itself beside its code: its route and verb, the tables it uses and
/// how, and its Lambda settings. The attributes in shared/Toolkit/Declarations are the only place these are written.
/// </summary>
internal sealed class FunctionDeclaration
{
    public FunctionDeclaration(string method, string? verb, string? path, IReadOnlyList<TableUse> tables, int? memoryMb, int? timeoutSeconds,
        IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        Method = method;
        Verb = verb;
        Path = path;
        Tables = tables;
        MemoryMb = memoryMb;
        TimeoutSeconds = timeoutSeconds;
        Environment = environment;
    }

    /// <summary>The handler: Type.Method.</summary>
    public string Method { get; }

    /// <summary>GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY; null for a function with a URL and no route.</summary>
    public string? Verb { get; }

    /// <summary>The route path as HTTP API takes it: /items/{id}, /files/{proxy+}; null without a route.</summary>
    public string? Path { get; }

    /// <summary>HTTP API's route key: "GET /items/{id}"; null without a route.</summary>
    public string? RouteKey => Verb is null || Path is null ? null : Verb + " " + Path;

    /// <summary>[FunctionUrl], or null.</summary>
    public FunctionUrlDeclaration? Url { get; init; }

    /// <summary>What the function answers to, for messages and conflicts: its route key, else its URL.</summary>
    public string Key => RouteKey ?? $"the function URL of {Method}";

    public IReadOnlyList<TableUse> Tables { get; }

    /// <summary>Null: the stack's default.</summary>
    public int? MemoryMb { get; }

    /// <summary>Null: the stack's default.</summary>
    public int? TimeoutSeconds { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }

    /// <summary>[Authorize] or [AllowAnonymous]; <see cref="RouteAccess.Default"/> when it says neither.</summary>
    public RouteAccess Access { get; init; } = RouteAccess.Default;

    /// <summary>The route parameters: {id} -> id, {proxy+} -> proxy.</summary>
    public IEnumerable<string> RouteParameters => Path is null ? Enumerable.Empty<string>() : RouteRules.Parameters(Path);
}
