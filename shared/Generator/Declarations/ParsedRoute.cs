using System.Collections.Generic;
using System.Linq;

namespace Functions.Declarations;

/// <summary>How much of <see cref="RouteRules"/> a route must meet.</summary>
internal enum RouteStrictness
{
    /// <summary>What HTTP API and the CDK app take: serve serves every route a template holds, whoever wrote it.</summary>
    HttpApi,

    /// <summary>A declared handler's route: one a request can reach, with parameters the handler takes as C# parameters.</summary>
    Handler,
}

/// <summary>What a route path segment matches. The numeric order is the specificity order: a higher value wins.</summary>
internal enum RouteSegmentKind
{
    /// <summary>{name+}: one or more whole segments, only as the last segment.</summary>
    Greedy = 0,

    /// <summary>{name}: exactly one non-empty segment.</summary>
    Parameter = 1,

    /// <summary>Text that must equal the request's segment exactly (paths are case-sensitive).</summary>
    Literal = 2,
}

/// <summary>One segment of a route path: a literal's text or a parameter's name.</summary>
internal readonly struct RouteSegment
{
    public RouteSegment(RouteSegmentKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public RouteSegmentKind Kind { get; }

    public string Text { get; }
}

/// <summary>A route that meets <see cref="RouteRules"/>: "GET /items/{id}", or $default.</summary>
internal sealed class ParsedRoute
{
    public ParsedRoute(string? method, string path, IReadOnlyList<RouteSegment> segments)
    {
        Method = method;
        Path = path;
        Segments = segments;
    }

    /// <summary>The route's method, ANY, or null for $default.</summary>
    public string? Method { get; }

    /// <summary>The path as written; empty for $default.</summary>
    public string Path { get; }

    public IReadOnlyList<RouteSegment> Segments { get; }

    public bool IsDefault => Method is null;

    public bool IsGreedy => Segments.Count > 0 && Segments[Segments.Count - 1].Kind == RouteSegmentKind.Greedy;

    /// <summary>The route key as a template holds it.</summary>
    public string Key => IsDefault ? RouteRules.DefaultRouteKey : Method + " " + Path;

    /// <summary>
    /// The key with its parameters unnamed (GET /items/{} for GET /items/{id}, {+} for a greedy one): routes of one
    /// identity match the same requests whatever their parameters are called, so only one of them could ever be called.
    /// </summary>
    public string Identity => IsDefault
        ? RouteRules.DefaultRouteKey
        : Method + " /" + string.Join("/", Segments.Select(s => s.Kind switch
        {
            RouteSegmentKind.Greedy => "{+}",
            RouteSegmentKind.Parameter => "{}",
            _ => s.Text,
        }));

    /// <summary>The parameter names, in order.</summary>
    public IEnumerable<string> ParameterNames => Segments.Where(s => s.Kind != RouteSegmentKind.Literal).Select(s => s.Text);
}
