using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Lambda;

namespace Functions.Cdk;

/// <summary>What a <see cref="FunctionsHttpApi"/> needs: the app's functions are found under its lambdas/, the rest is the app's to say.</summary>
public sealed record FunctionsHttpApiProps
{
    /// <summary>The folder that holds the app's lambdas/; null finds it from FN_ROOT or above the working directory.</summary>
    public string? AppRoot { get; init; }

    /// <summary>The app's tables, by the name a function's [UsesTable("...")] gives.</summary>
    public IReadOnlyDictionary<string, ITable> Tables { get; init; } = new Dictionary<string, ITable>();

    /// <summary>The JWT issuer whose tokens the routes that need one take; null: no authorizer, and no route may declare [Authorize].</summary>
    public string? JwtIssuer { get; init; }

    public IReadOnlyList<string> JwtAudience { get; init; } = [];

    /// <summary>CORS preflight for browsers; null answers none.</summary>
    public ICorsPreflightOptions? Cors { get; init; }

    /// <summary>
    /// CORS of every function URL the app declares ([FunctionUrl]): Lambda answers their preflights and adds the headers;
    /// null answers none (a page on another origin cannot read their answers). Origins differ by environment, so they
    /// are given here rather than in the declaration.
    /// </summary>
    public IFunctionUrlCorsOptions? UrlCors { get; init; }

    /// <summary>The default stage's throttling; null leaves the account's limits.</summary>
    public ThrottleSettings? Throttle { get; init; }

    public string? Description { get; init; }

    /// <summary>Instruction set of every function; null means ARM64 (Graviton: cheaper per GB-second).</summary>
    public Architecture? Architecture { get; init; }

    /// <summary>The memory of a function whose [FunctionSettings] names none.</summary>
    public int MemorySize { get; init; } = 256;

    /// <summary>X-Ray active tracing.</summary>
    public bool Tracing { get; init; } = true;

    /// <summary>What happens to the functions' and the access log's log groups when the stack deletes them; null keeps CDK's default (RETAIN).</summary>
    public RemovalPolicy? LogRemovalPolicy { get; init; }

    /// <summary>
    /// Why a read (GET, HEAD, OPTIONS, ANY) that declares neither [Authorize] nor [AllowAnonymous] is open, for the
    /// reviewer (cdk-nag's APIG4 is suppressed with it); null: such a route is warned about at synthesis.
    /// </summary>
    public string? OpenReadsReason { get; init; }
}
