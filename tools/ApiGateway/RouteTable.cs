using Functions.Declarations;
using Functions.Tools.Template;

namespace Functions.Tools.ApiGateway;

/// <summary>The route a request selected and its path parameters, percent-decoded.</summary>
public sealed record RouteMatch(TemplateRoute Route, IReadOnlyDictionary<string, string> PathParameters);

/// <summary>
/// HTTP API route selection (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html,
/// "Routing API requests"). Of the routes that match a request, the most specific wins:
/// <list type="number">
/// <item>A full match — every segment a literal or a {param} — beats a route ending in a greedy {name+}, which
/// beats $default. (AWS: "1. Full match for a route and method. 2. Match for a route and method with a greedy path
/// variable. 3. The $default route.")</item>
/// <item>Within a tier, segments are compared left to right and the first difference decides:
/// literal &gt; {param} &gt; {greedy+}. So GET /pets/dog/1 beats GET /pets/dog/{id}, and /pets/{proxy+} beats
/// /{proxy+}.</item>
/// <item>For the same path shape, a route for the request's method beats ANY ("ANY matches all methods that you
/// haven't defined for a route").</item>
/// </list>
/// Matching: paths are case-sensitive; {param} takes one non-empty segment; {name+} takes one or more, so
/// /files/{proxy+} does not match /files. One trailing slash on the request is ignored (/items/ selects GET /items),
/// as HTTP API does: it cannot create a route ending in '/', yet routes such requests to the route without it
/// (reported in aws-powertools/powertools-lambda-python#1552). The event's rawPath keeps the slash.
/// </summary>
public sealed class RouteTable
{
    private readonly IReadOnlyList<(RoutePattern Pattern, TemplateRoute Route)> _byPriority;

    private RouteTable(IReadOnlyList<(RoutePattern Pattern, TemplateRoute Route)> byPriority, IReadOnlyList<TemplateRoute> routes)
    {
        _byPriority = byPriority;
        Routes = routes;
    }

    /// <summary>The routes by path, then method (ANY after the others), $default last: the order to show them in.</summary>
    public IReadOnlyList<TemplateRoute> Routes { get; }

    /// <exception cref="FormatException">A route key is malformed or appears twice.</exception>
    public static RouteTable Create(IEnumerable<TemplateRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var parsed = new List<(RoutePattern Pattern, TemplateRoute Route)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            if (!keys.Add(route.RouteKey))
            {
                throw new BadFileError($"The route key \"{route.RouteKey}\" appears twice; HTTP API route keys are unique.");
            }
            try
            {
                parsed.Add((RoutePattern.Parse(route.RouteKey), route));
            }
            catch (FormatException e)
            {
                throw new BadFileError(e.Message, e);
            }
        }
        // OrderBy is stable, so routes equal in priority keep the template's order.
        var byPriority = parsed.OrderBy(p => p.Pattern, RoutePriority.Instance).ToList();
        var forDisplay = parsed
            .OrderBy(p => p.Pattern.IsDefault)
            .ThenBy(p => p.Pattern.Path, StringComparer.Ordinal)
            .ThenBy(p => p.Pattern.Method == RouteRules.AnyMethod)
            .ThenBy(p => p.Pattern.Method, StringComparer.Ordinal)
            .Select(p => p.Route)
            .ToList();
        return new RouteTable(byPriority, forDisplay);
    }

    /// <summary>
    /// The most specific route for a request, or null when none matches (the gateway answers 404).
    /// <paramref name="path"/> is the raw, still percent-encoded path without the query string.
    /// </summary>
    public RouteMatch? Match(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            return null;
        }
        var segments = Segments(path);
        foreach (var (pattern, route) in _byPriority)
        {
            if (pattern.TryMatch(method, segments, out var parameters))
            {
                return new RouteMatch(route, parameters);
            }
        }
        return null;
    }

    private static string[] Segments(string path)
    {
        var trimmed = path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;
        return trimmed == "/" ? [] : trimmed[1..].Split('/');
    }
}
