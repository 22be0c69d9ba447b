namespace Functions.Tools.ApiGateway;

/// <summary>
/// A parsed HTTP API route key: "METHOD /path" or "$default". Parsing rejects what HTTP API rejects when the route
/// is created, so a typo fails at start-up instead of quietly never matching.
/// </summary>
internal sealed class RoutePattern
{
    public const string DefaultRouteKey = "$default";
    public const string AnyMethod = "ANY";

    private static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    // The methods an HTTP API route accepts; ANY stands for every method without a route of its own.
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        AnyMethod, "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
    };

    private RoutePattern(string? method, string path, IReadOnlyList<RouteSegment> segments)
    {
        Method = method;
        Path = path;
        Segments = segments;
    }

    /// <summary>The route's method, ANY, or null for $default.</summary>
    public string? Method { get; }

    /// <summary>The path as written in the key; empty for $default.</summary>
    public string Path { get; }

    public IReadOnlyList<RouteSegment> Segments { get; }

    public bool IsDefault => Method is null;

    public bool IsGreedy => Segments.Count > 0 && Segments[^1].Kind == SegmentKind.Greedy;

    public static RoutePattern Parse(string routeKey)
    {
        if (routeKey == DefaultRouteKey)
        {
            return new RoutePattern(null, "", []);
        }
        var space = routeKey.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            throw Malformed(routeKey, "expected \"METHOD /path\" or \"$default\"");
        }
        var method = routeKey[..space];
        var path = routeKey[(space + 1)..];
        if (!Methods.Contains(method))
        {
            throw Malformed(routeKey, $"the method must be one of {string.Join(", ", Methods.Order(StringComparer.Ordinal))}");
        }
        return new RoutePattern(method, path, ParsePath(routeKey, path));
    }

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
        if (Method != AnyMethod && !string.Equals(Method, method, StringComparison.Ordinal))
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
            if (segment.Kind == SegmentKind.Literal)
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

    private static List<RouteSegment> ParsePath(string routeKey, string path)
    {
        if (!path.StartsWith('/'))
        {
            throw Malformed(routeKey, "the path must start with '/'");
        }
        if (path == "/")
        {
            return [];
        }
        // HTTP API refuses to create a route whose path ends in '/'; requests with a trailing slash still reach
        // the route without it (see RouteTable).
        if (path.EndsWith('/'))
        {
            throw Malformed(routeKey, "the path must not end with '/'");
        }
        var parts = path[1..].Split('/');
        var segments = new List<RouteSegment>(parts.Length);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            var segment = ParseSegment(routeKey, parts[i]);
            if (segment.Kind == SegmentKind.Greedy && i != parts.Length - 1)
            {
                throw Malformed(routeKey, $"the greedy variable {{{segment.Text}+}} must be the last segment");
            }
            if (segment.Kind != SegmentKind.Literal && !names.Add(segment.Text))
            {
                throw Malformed(routeKey, $"the path variable {{{segment.Text}}} appears twice");
            }
            segments.Add(segment);
        }
        return segments;
    }

    private static RouteSegment ParseSegment(string routeKey, string part)
    {
        if (part.Length == 0)
        {
            throw Malformed(routeKey, "the path has an empty segment (\"//\")");
        }
        if (part.StartsWith('{') && part.EndsWith('}'))
        {
            var greedy = part.EndsWith("+}", StringComparison.Ordinal);
            var name = part[1..(greedy ? ^2 : ^1)];
            if (name.Length == 0 || !name.All(IsNameCharacter))
            {
                throw Malformed(routeKey, $"\"{part}\" is not a valid path variable (letters, digits, '_', '-', '.')");
            }
            return new RouteSegment(greedy ? SegmentKind.Greedy : SegmentKind.Parameter, name);
        }
        if (part.Contains('{') || part.Contains('}'))
        {
            throw Malformed(routeKey, $"\"{part}\": a path variable must be a whole segment, like {{id}}");
        }
        return new RouteSegment(SegmentKind.Literal, part);
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static FormatException Malformed(string routeKey, string reason) =>
        new($"The route key \"{routeKey}\" is malformed: {reason}.");
}
