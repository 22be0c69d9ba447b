using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Tools.ApiGateway;
using Functions.Tools.Auth;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Template;

namespace Functions.Tools.Serve;

/// <summary>
/// An event for a function made from its declaration the way serve makes events: a request for its first route (or
/// its function URL) with the handler's path, query and header parameters and its body type's skeleton
/// (<see cref="RequestSkeleton"/>; an empty JSON object where the verb carries a body the handler reads itself), through
/// the route table and, where the route needs a token, a token from the dev issuer checked by the same JWT authorizer,
/// then written by <see cref="EventBuilder"/>. What the console offers to start from when a function has no sample.
/// </summary>
internal static class GeneratedEvent
{
    private const string Subject = "dev-user";

    /// <returns>The event, indented; null when the function has neither a route nor a URL.</returns>
    public static async Task<string?> ForAsync(TemplateFunction function, RouteTable routes, FunctionUrls urls, JwtAuthorizer? authorizer, Repository repository)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(urls);
        var route = routes.Routes.FirstOrDefault(r => r.FunctionLogicalId == function.LogicalId);
        var url = urls.All.Where(u => u.Url.FunctionLogicalId == function.LogicalId).Select(u => u.Url).FirstOrDefault();
        if (route is null && url is null)
        {
            return null;
        }
        var (verb, path) = route is null ? ("GET", "/") : (route.RouteKey.Split(' ')[0], route.RouteKey.Split(' ', 2)[1]);
        var method = verb == "ANY" ? "GET" : verb;
        var skeleton = Skeleton(repository, function);
        var rawPath = string.Join('/', path.Split('/').Select(s => s.StartsWith('{') ? Uri.EscapeDataString(skeleton.PathValues.GetValueOrDefault(s.Trim('{', '}', '+'), "example")) : s));
        var query = string.Join('&', skeleton.Query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)));
        var body = skeleton.Body is { } json ? Encoding.UTF8.GetBytes(json.ToJsonString())
            : method is "POST" or "PUT" or "PATCH" ? "{}"u8.ToArray() : [];
        var headers = new List<KeyValuePair<string, string>> { new("host", "localhost"), new("user-agent", "fn console") };
        headers.AddRange(skeleton.Headers);
        if (body.Length > 0)
        {
            headers.Add(new("content-type", "application/json"));
        }
        var authorization = route?.Authorization;
        if (authorization is not null)
        {
            var token = DevIssuer.Open(repository).MintFor(authorization.Authorizer, Subject, authorization.Scopes.Count > 0 ? [authorization.Scopes[0]] : [], TimeSpan.FromHours(1));
            headers.Add(new("authorization", "Bearer " + token));
        }
        var request = new GatewayRequest(method, rawPath, query, headers, body, "127.0.0.1", "HTTP/1.1", "localhost");
        var match = route is null ? FunctionUrls.MatchFor(url!) : routes.Match(method, rawPath) ?? new RouteMatch(route, new Dictionary<string, string>());
        // Checked as serve checks a request's token; with a real issuer's keys (--jwks) the dev token is not taken and the event goes without claims.
        var jwt = authorization is not null && authorizer is not null ? (await authorizer.AuthorizeAsync(request, authorization).ConfigureAwait(false)).Context : null;
        var payload = EventBuilder.ToEvent(request, match, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, TraceHeader.NewRoot(), jwt);
        return JsonNode.Parse(Encoding.UTF8.GetString(payload.Span))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The handler's inputs from its source; none when the source does not read or is mid-edit (the event still has its route).</summary>
    private static RequestSkeleton Skeleton(Repository repository, TemplateFunction function)
    {
        try
        {
            return RequestSkeleton.Read(repository, function.Name, FunctionCatalog.Read(repository, function.Name).Declaration.Method);
        }
        catch (Exception e) when (e is BuildException or IOException)
        {
            return RequestSkeleton.None;
        }
    }
}
