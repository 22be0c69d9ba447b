using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Functions.Declarations;

/// <summary>
/// What HTTP API accepts as a route (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html):
/// a method or ANY, and a path of segments that starts with '/', where a segment is literal text or a whole {name}
/// parameter, and a greedy {name+} may only come last. Narrower than HTTP API where a route could never be called:
/// no dot segments, a bounded length, parameter names the handler can take as C# parameters.
/// </summary>
internal static class RouteRules
{
    public static readonly string[] Verbs = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY" };

    /// <summary>
    /// The longest path. HTTP API documents no limit on a route key, but the CDK app cannot make a longer route:
    /// aws-cdk-lib's HttpRoute builds the route's execute-api ARN from the path and refuses one over 1,000 characters
    /// ("Path is too long"), in step with API Gateway's 1,600-byte cap on a method ARN once the request's values fill
    /// the parameters.
    /// </summary>
    public const int MaxPathLength = 1000;

    /// <summary>
    /// The longest parameter name: it is the name of the handler's C# parameter (bound by name) and a key of every event's
    /// pathParameters. The compiler's own limit is 512 (CS0645); 128 is beyond any name a person writes.
    /// </summary>
    public const int MaxParameterLength = 128;

    private static readonly Regex Literal = new("^[A-Za-z0-9._~!$&'()*,;=:@-]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Parameter = new(@"^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$", RegexOptions.CultureInvariant);

    /// <summary>Null when the verb is one HTTP API routes on, else what is wrong.</summary>
    public static string? CheckVerb(string verb) =>
        Verbs.Contains(verb) ? null : $"'{verb}' is not a method HTTP API routes on; use one of {string.Join(", ", Verbs)}";

    /// <summary>Null when the path is one HTTP API takes, else what is wrong with it.</summary>
    public static string? CheckPath(string path)
    {
        if (path == "/")
        {
            return null;
        }
        if (path.Length > MaxPathLength)
        {
            return $"the path is {path.Length} characters, more than the {MaxPathLength} a route may have";
        }
        if (!path.StartsWith("/"))
        {
            return $"the path '{path}' must start with '/'";
        }
        if (path.EndsWith("/"))
        {
            return $"the path '{path}' must not end with '/'";
        }
        var segments = path.Substring(1).Split('/');
        var names = new HashSet<string>();
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0)
            {
                return $"the path '{path}' has an empty segment ('//')";
            }
            if (segment == "." || segment == "..")
            {
                return $"the segment '{segment}' in '{path}' is a dot segment, which clients remove from a URL before they send it (RFC 3986, 5.2.4): no request could reach this route";
            }
            var parameter = Parameter.Match(segment);
            if (parameter.Success)
            {
                if (parameter.Groups[1].Length > MaxParameterLength)
                {
                    return $"a parameter name in '{path}' is {parameter.Groups[1].Length} characters, more than the {MaxParameterLength} a parameter name may have";
                }
                if (parameter.Groups[2].Length > 0 && i != segments.Length - 1)
                {
                    return $"the greedy parameter {segment} in '{path}' must be the last segment";
                }
                if (!names.Add(parameter.Groups[1].Value))
                {
                    return $"the path '{path}' names the parameter {{{parameter.Groups[1].Value}}} twice";
                }
            }
            else if (segment.Contains("{") || segment.Contains("}"))
            {
                return $"the segment '{segment}' in '{path}' must be a whole parameter such as {{id}}, not mixed with text";
            }
            else if (!Literal.IsMatch(segment))
            {
                return $"the segment '{segment}' in '{path}' has characters a route cannot hold";
            }
        }
        return null;
    }

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

    /// <summary>
    /// The path with its parameters unnamed (/items/{id} -> /items/{}, a greedy one {+}): two routes of one verb and one
    /// shape match the same requests, whatever their parameters are called, so only one of them could ever be called.
    /// </summary>
    public static string Shape(string path) =>
        string.Join("/", path.Split('/').Select(s => Parameter.Match(s) is { Success: true } m ? (m.Groups[2].Length > 0 ? "{+}" : "{}") : s));

    /// <summary>The parameter names of a valid path, in order.</summary>
    public static IEnumerable<string> Parameters(string path) =>
        path.Split('/').Select(s => Parameter.Match(s)).Where(m => m.Success).Select(m => m.Groups[1].Value);
}
