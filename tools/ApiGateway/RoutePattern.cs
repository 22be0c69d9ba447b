using Functions.Declarations;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// A template's route key that meets HTTP API's rules (shared/Generator/Declarations/RouteRules.cs), matched against
/// requests. Parsing rejects what HTTP API rejects when the route is created, so a typo fails at start-up instead of
/// quietly never matching.
/// </summary>
internal sealed class RoutePattern
{
    private static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    private readonly ParsedRoute _route;

    private RoutePattern(ParsedRoute route) => _route = route;

    /// <summary>The route's method, ANY, or null for $default.</summary>
    public string? Method => _route.Method;

    /// <summary>The path as written in the key; empty for $default.</summary>
    public string Path => _route.Path;

    public IReadOnlyList<RouteSegment> Segments => _route.Segments;

    public bool IsDefault => _route.IsDefault;

    public bool IsGreedy => _route.IsGreedy;

    public static RoutePattern Parse(string routeKey) =>
        RouteRules.TryParseKey(routeKey, RouteStrictness.HttpApi, out var route, out var problem)
            ? new RoutePattern(route!)
            : throw new FormatException($"The route key \"{routeKey}\" is malformed: {problem}.");

    /// <summary>
    /// Whether the request matches, with the decoded path parameters when it does. <paramref name="pathSegments"/>
    /// are the request path's raw (still percent-encoded) segments.
    /// </summary>
    public bool TryMatch(string method, IReadOnlyList<string> pathSegments, out IReadOnlyDictionary<string, string> parameters)
    {
        // Every request tries several routes: a dictionary is made only once a route has a parameter to put in it.
        parameters = NoParameters;
        if (IsDefault)
        {
            return true;
        }
        if (Method != RouteRules.AnyMethod && !string.Equals(Method, method, StringComparison.Ordinal))
        {
            return false;
        }
        var fixedCount = IsGreedy ? Segments.Count - 1 : Segments.Count;
        if (IsGreedy ? pathSegments.Count < Segments.Count : pathSegments.Count != Segments.Count)
        {
            return false;
        }
        Dictionary<string, string>? found = null;
        for (var i = 0; i < fixedCount; i++)
        {
            var segment = Segments[i];
            var actual = pathSegments[i];
            if (segment.Kind == RouteSegmentKind.Literal)
            {
                if (!string.Equals(segment.Text, actual, StringComparison.Ordinal))
                {
                    return false;
                }
            }
            else if (actual.Length == 0)
            {
                return false; // "/items//x" has no value for {id}.
            }
            else
            {
                (found ??= new Dictionary<string, string>(StringComparer.Ordinal))[segment.Text] = actual;
            }
        }
        if (IsGreedy)
        {
            var rest = string.Join('/', pathSegments.Skip(fixedCount));
            if (rest.Length == 0)
            {
                return false;
            }
            (found ??= new Dictionary<string, string>(StringComparer.Ordinal))[Segments[^1].Text] = rest;
        }
        parameters = found ?? NoParameters;
        return true;
    }
}
