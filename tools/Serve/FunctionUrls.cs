using Functions.Tools.ApiGateway;
using Functions.Tools.Template;

namespace Functions.Tools.Serve;

/// <summary>
/// The function URLs serve answers. Lambda gives each URL a host of its own; serve gives them one port of their own
/// (--url-port, the API's port + 2) and each its function's name as the first path segment,
/// http://127.0.0.1:3002/Items.Export/..., as cargo-lambda serves URLs under /lambda-url/NAME/: one more port to open,
/// and never in the way of an API route. The function sees the rest of the path as its rawPath, as behind its own host.
/// </summary>
public sealed class FunctionUrls
{
    public static readonly FunctionUrls None = new([]);

    private readonly Dictionary<string, (string Name, TemplateFunctionUrl Url)> _byName = new(StringComparer.Ordinal);

    /// <param name="urls">Each URL with its function's name (what its path starts with).</param>
    public FunctionUrls(IEnumerable<(string Name, TemplateFunctionUrl Url)> urls)
    {
        foreach (var (name, url) in urls)
        {
            _byName[name] = (name, url);
        }
    }

    public IReadOnlyList<(string Name, TemplateFunctionUrl Url)> All => [.. _byName.Values.OrderBy(u => u.Name, StringComparer.Ordinal)];

    public bool IsEmpty => _byName.Count == 0;

    /// <summary>The URL a request's first path segment names, and the request as its function sees it; null when it names none.</summary>
    public (TemplateFunctionUrl Url, GatewayRequest Request)? Find(GatewayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RawPath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString(slash < 0 ? path : path[..slash]);
        return _byName.TryGetValue(name, out var found)
            ? (found.Url, request with { RawPath = slash < 0 ? "/" : path[slash..] })
            : null;
    }

    /// <summary>The route a URL's events carry: function URLs send routeKey $default, with no path parameters.</summary>
    public static RouteMatch MatchFor(TemplateFunctionUrl url) =>
        new(new TemplateRoute("$default", url.FunctionLogicalId), new Dictionary<string, string>());
}
