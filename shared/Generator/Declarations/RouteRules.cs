using System.Collections.Generic;
using System.Linq;

namespace Functions.Declarations;

/// <summary>
/// The one set of route rules, for the generator, build/ (the CDK app's catalogue, ./fn new) and serve. HTTP API
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html) routes on a method or ANY
/// and a path of segments that starts with '/', where a segment is literal text or a whole {name} parameter and a
/// greedy {name+} may only come last; or on $default. The CDK app cannot make a path over 1,000 characters.
/// <see cref="RouteStrictness.Handler"/> adds what a declared handler needs: a route some request could reach (no dot
/// segments, RFC 3986 characters) whose parameters the handler can take as C# parameters.
/// </summary>
internal static class RouteRules
{
    public const string DefaultRouteKey = "$default";

    /// <summary>Every method without a route of its own.</summary>
    public const string AnyMethod = "ANY";

    /// <summary>The methods a route may name: those of aws-cdk-lib's HttpMethod, ordinal order.</summary>
    public static readonly IReadOnlyList<string> Methods = new[] { AnyMethod, "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT" };

    /// <summary>
    /// The longest path. HTTP API documents no limit on a route key, but the CDK app cannot make a longer route:
    /// aws-cdk-lib's HttpRoute builds the route's execute-api ARN from the path and refuses one over 1,000 characters
    /// ("Path is too long"), in step with API Gateway's 1,600-byte cap on a method ARN once the request's values fill
    /// the parameters.
    /// </summary>
    public const int MaxPathLength = 1000;

    /// <summary>
    /// The longest parameter name of a handler's route: it is the name of the handler's C# parameter (bound by name) and
    /// a key of every event's pathParameters. The compiler's own limit is 512 (CS0645); 128 is beyond any name a person writes.
    /// </summary>
    public const int MaxParameterLength = 128;

    // RFC 3986's pchar without '%': a literal segment a client sends as it is written.
    private const string LiteralPunctuation = "._~!$&'()*,;=:@-";

    /// <summary>"GET /items/{id}" or "$default", as a template's RouteKey holds it.</summary>
    public static bool TryParseKey(string routeKey, RouteStrictness strictness, out ParsedRoute? route, out string? problem)
    {
        if (routeKey == DefaultRouteKey)
        {
            route = new ParsedRoute(null, "", new RouteSegment[0]);
            problem = null;
            return true;
        }
        var space = routeKey.IndexOf(' ');
        if (space <= 0)
        {
            route = null;
            problem = "expected \"METHOD /path\" or \"$default\"";
            return false;
        }
        return TryParse(routeKey.Substring(0, space), routeKey.Substring(space + 1), strictness, out route, out problem);
    }

    /// <summary>A method and a path; when false, <paramref name="problem"/> says what is wrong with them.</summary>
    public static bool TryParse(string method, string path, RouteStrictness strictness, out ParsedRoute? route, out string? problem)
    {
        route = null;
        problem = Methods.Contains(method)
            ? null
            : $"'{method}' is not a method HTTP API routes on; use one of {string.Join(", ", Methods)}";
        if (problem is null && TryParsePath(path, strictness, out var segments, out problem))
        {
            route = new ParsedRoute(method, path, segments);
        }
        return route is not null;
    }

    /// <summary>
    /// The path with its parameters unnamed (/items/{id} -> /items/{}, a greedy one {+}): two routes of one method and
    /// one shape match the same requests, whatever their parameters are called, so only one of them could ever be called.
    /// </summary>
    public static string Identity(string method, string path) =>
        TryParse(method, path, RouteStrictness.HttpApi, out var route, out _) ? route!.Identity : method + " " + path;

    /// <summary>The parameter names of a path, in order; none when it is not a path HTTP API takes.</summary>
    public static IEnumerable<string> Parameters(string path) =>
        TryParse(AnyMethod, path, RouteStrictness.HttpApi, out var route, out _) ? route!.ParameterNames : Enumerable.Empty<string>();

    /// <summary>
    /// Null when the text is one OAuth scope (RFC 6749 3.3: printable ASCII but space, '"' and a backslash), as a token's
    /// space-separated scope claim can carry it, else what is wrong.
    /// </summary>
    public static string? CheckScope(string scope)
    {
        if (scope.Length == 0)
        {
            return "a scope cannot be empty";
        }
        foreach (var c in scope)
        {
            if (c <= ' ' || c > '~' || c == '"' || c == '\\')
            {
                return $"the scope '{scope}' has a character a scope cannot hold (spaces separate scopes in a token; '\"' and '\\' are not allowed)";
            }
        }
        return null;
    }

    private static bool TryParsePath(string path, RouteStrictness strictness, out RouteSegment[] segments, out string? problem)
    {
        segments = new RouteSegment[0];
        problem = PathProblem(path);
        if (problem is not null || path == "/")
        {
            return problem is null;
        }
        var parts = path.Substring(1).Split('/');
        var parsed = new RouteSegment[parts.Length];
        var names = new HashSet<string>();
        for (var i = 0; i < parts.Length && problem is null; i++)
        {
            var part = parts[i];
            var segment = ParseSegment(part, path, strictness, out problem);
            if (problem is not null)
            {
                break;
            }
            if (segment.Kind == RouteSegmentKind.Greedy && i != parts.Length - 1)
            {
                problem = $"the greedy parameter {part} in '{path}' must be the last segment";
            }
            else if (segment.Kind != RouteSegmentKind.Literal && !names.Add(segment.Text))
            {
                problem = $"the path '{path}' names the parameter {{{segment.Text}}} twice";
            }
            parsed[i] = segment;
        }
        if (problem is null)
        {
            segments = parsed;
        }
        return problem is null;
    }

    /// <summary>What HTTP API and the CDK app refuse of a path as a whole.</summary>
    private static string? PathProblem(string path)
    {
        if (path.Length > MaxPathLength)
        {
            return $"the path is {path.Length} characters, more than the {MaxPathLength} a route may have";
        }
        if (!path.StartsWith("/"))
        {
            return $"the path '{path}' must start with '/'";
        }
        if (path != "/" && path.EndsWith("/"))
        {
            // Requests with a trailing slash still reach the route without it (serve's RouteTable does as HTTP API does).
            return $"the path '{path}' must not end with '/'";
        }
        return null;
    }

    private static RouteSegment ParseSegment(string part, string path, RouteStrictness strictness, out string? problem)
    {
        problem = null;
        if (part.Length == 0)
        {
            problem = $"the path '{path}' has an empty segment ('//')";
            return default;
        }
        if (part.Length >= 2 && part[0] == '{' && part[part.Length - 1] == '}')
        {
            var greedy = part.EndsWith("+}");
            var name = part.Substring(1, part.Length - (greedy ? 3 : 2));
            problem = ParameterProblem(name, part, path, strictness);
            return new RouteSegment(greedy ? RouteSegmentKind.Greedy : RouteSegmentKind.Parameter, name);
        }
        if (part.IndexOf('{') >= 0 || part.IndexOf('}') >= 0)
        {
            problem = $"the segment '{part}' in '{path}' must be a whole parameter such as {{id}}, not mixed with text";
        }
        else if (strictness == RouteStrictness.Handler && (part == "." || part == ".."))
        {
            problem = $"the segment '{part}' in '{path}' is a dot segment, which clients remove from a URL before they send it (RFC 3986, 5.2.4): no request could reach this route";
        }
        else if (strictness == RouteStrictness.Handler && !part.All(c => IsAsciiLetterOrDigit(c) || LiteralPunctuation.IndexOf(c) >= 0))
        {
            problem = $"the segment '{part}' in '{path}' has characters a route cannot hold (letters, digits and {LiteralPunctuation}; percent-encoded text is matched as sent)";
        }
        return new RouteSegment(RouteSegmentKind.Literal, part);
    }

    /// <summary>
    /// HTTP API documents no character set for a parameter's name; serve takes the characters of names seen in the wild
    /// (letters, digits, '_', '-', '.'). A handler takes each parameter as a C# parameter of that name, so its routes'
    /// names are C# identifiers.
    /// </summary>
    private static string? ParameterProblem(string name, string part, string path, RouteStrictness strictness)
    {
        if (name.Length == 0)
        {
            return $"the segment '{part}' in '{path}' has no parameter name: write {{id}}, or {{proxy+}} for the rest of the path";
        }
        if (strictness == RouteStrictness.HttpApi)
        {
            return name.All(c => IsAsciiLetterOrDigit(c) || c == '_' || c == '-' || c == '.')
                ? null
                : $"'{part}' in '{path}' is not a parameter HTTP API takes (a name of letters, digits, '_', '-' and '.')";
        }
        if (name.Length > MaxParameterLength)
        {
            return $"a parameter name in '{path}' is {name.Length} characters, more than the {MaxParameterLength} a parameter name may have";
        }
        var identifier = !char.IsDigit(name[0]) && name.All(c => IsAsciiLetterOrDigit(c) || c == '_');
        return identifier
            ? null
            : $"the parameter {part} in '{path}' cannot be the name of the handler's C# parameter that takes it: use ASCII letters, digits and '_', not a digit first (e.g. {{{Suggested(name)}}})";
    }

    /// <summary>item-id -> itemId, 1st -> _1st: what the message offers instead.</summary>
    private static string Suggested(string name)
    {
        var text = new System.Text.StringBuilder();
        var upper = false;
        foreach (var c in name)
        {
            if (IsAsciiLetterOrDigit(c) || c == '_')
            {
                text.Append(upper && text.Length > 0 ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        if (text.Length == 0 || char.IsDigit(text[0]))
        {
            text.Insert(0, '_');
        }
        return text.ToString();
    }

    private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
