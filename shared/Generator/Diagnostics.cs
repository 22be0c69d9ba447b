using Microsoft.CodeAnalysis;

namespace Functions.Generator;

/// <summary>Every mistake the generator reports: one descriptor each, an id a user can search for, text that says how to fix it.</summary>
internal static class Diagnostics
{
    private const string Category = "Functions";

    public static readonly DiagnosticDescriptor RouteParameterUnbound = Error("FN0001", "Route parameter without a method parameter",
        "The route {0} has the parameter {{{1}}}, but {2} has no parameter named {1}: add one (string {1}) or change the route");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error("FN0002", "Parameter the handler cannot be given",
        "{0}: the parameter {1} of type {2} cannot be bound: use a route parameter, [FromQuery] or [FromHeader] on string, int, long, bool or Guid (nullable when optional), "
        + "a type implementing IFromBody<T> for the JSON body, HttpApiRequest, InvocationContext, CancellationToken, a service implementing IFunctionService<T>, or a client of AWS's SDK (AmazonDynamoDBClient...)");

    public static readonly DiagnosticDescriptor DuplicateRoute = Error("FN0003", "Two handlers for one route",
        "{0}");

    public static readonly DiagnosticDescriptor MalformedDeclaration = Error("FN0004", "Malformed route",
        "{0}");

    public static readonly DiagnosticDescriptor UnreadableDeclaration = Error("FN0005", "Declaration the CDK app cannot read",
        "{0}");

    public static readonly DiagnosticDescriptor HandlerShape = Error("FN0006", "Handler the generator cannot call",
        "{0} must be a static method returning HttpApiResponse, Task<HttpApiResponse> or ValueTask<HttpApiResponse>, in a type that is not generic");

    public static readonly DiagnosticDescriptor OneHandlerPerFunction = Error("FN0007", "More than one handler in a function",
        "{0}");

    public static readonly DiagnosticDescriptor TableVariableClash = Error("FN0008", "Two tables in one variable", "{0}");

    public static readonly DiagnosticDescriptor SettingOutOfRange = Error("FN0009", "Lambda setting out of range", "{0}");

    public static readonly DiagnosticDescriptor AccessDeclaration = Error("FN0010", "Contradictory or malformed authorization", "{0}");

    public static readonly DiagnosticDescriptor StreamingHandlerShape = Error("FN0011", "Streaming handler the generator cannot call", "{0}");

    /// <summary>The descriptor of a diagnostic by its id: the generator's own, and the shared declaration reader's.</summary>
    public static DiagnosticDescriptor ForId(string id) => id switch
    {
        "FN0001" => RouteParameterUnbound,
        "FN0002" => UnsupportedParameter,
        "FN0003" => DuplicateRoute,
        "FN0006" => HandlerShape,
        "FN0007" => OneHandlerPerFunction,
        "FN0004" => MalformedDeclaration,
        "FN0008" => TableVariableClash,
        "FN0009" => SettingOutOfRange,
        "FN0010" => AccessDeclaration,
        "FN0011" => StreamingHandlerShape,
        _ => UnreadableDeclaration,
    };

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
