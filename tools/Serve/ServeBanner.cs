using System.Text;
using System.Text.Json;

namespace Functions.Tools.Serve;

/// <summary>
/// What ./fn serve prints once it listens: where, the routes and the function behind each, and first requests to try,
/// made from the template's routes and each function's own sample event (events/&lt;function&gt;.json), so the banner knows
/// no app.
/// </summary>
public static class ServeBanner
{
    /// <summary>A body longer than this is left out of the example: a terminal line, not a fixture.</summary>
    private const int MaxExampleBody = 200;

    /// <param name="console">Where the console listens; null when serve has none.</param>
    public static void Write(ServeLog log, LocalServer server, ServeOptions options, bool watch, Repository repository, Uri? console = null)
    {
        var address = server.Address.ToString().TrimEnd('/');
        var routes = server.Routes.Routes;
        log.Info($"Serving {routes.Count} routes on {address} ({options.Local.Describe()}; DynamoDB: {server.Storage}{(watch ? "; watching sources" : "")})");
        log.Info(server.DescribeLimits());
        if (NetworkWarning(options.Host) is { } warning)
        {
            log.Info(warning);
        }
        var width = routes.Select(r => r.RouteKey.Length).DefaultIfEmpty(0).Max();
        var nameWidth = routes.Select(r => server.FunctionName(r).Length).DefaultIfEmpty(0).Max();
        foreach (var route in routes)
        {
            log.Info($"  {route.RouteKey.PadRight(width)}  -> {server.FunctionName(route).PadRight(nameWidth)}{Access(route.Authorization)}".TrimEnd());
        }
        foreach (var authorizer in routes.Select(r => r.Authorization?.Authorizer).OfType<Template.TemplateAuthorizer>().Distinct())
        {
            log.Info($"JWT authorizer: issuer {authorizer.Issuer}, audience {string.Join(", ", authorizer.Audience)}; tokens checked with {server.AuthorizerKeys}.");
        }
        var examples = routes.Select(r => Example(repository, server.FunctionName(r), address, r.Authorization)).OfType<string>().ToList();
        if (examples.Count > 0)
        {
            log.Info("Try:");
            foreach (var example in examples)
            {
                log.Info($"  {example}");
            }
        }
        if (server.UrlAddress is { } urls)
        {
            var urlBase = urls.ToString().TrimEnd('/');
            log.Info($"Function URLs on {urlBase}, each under its function's name (AWS_IAM ones take SigV4-signed requests: curl --aws-sigv4 aws:amz:us-east-1:lambda -u local:local):");
            foreach (var (name, url) in server.FunctionUrls)
            {
                log.Info($"  {urlBase}/{name}/  -> {name}  ({url.AuthType}, {url.InvokeMode})");
            }
            var (firstName, firstUrl) = server.FunctionUrls[0];
            if (options.Local.StreamBandwidth.BytesPerSecond is { } rate)
            {
                log.Info($"  Streams past {options.Local.StreamBandwidth.BurstBytes / (1024 * 1024)} MB go at {rate / (1024 * 1024)} MB a second, as Lambda sends them (--stream-bandwidth lambda).");
            }
            log.Info($"  e.g. curl -N{(firstUrl.NeedsSignature ? " --aws-sigv4 aws:amz:us-east-1:lambda -u local:local" : "")} {urlBase}/{firstName}/");
        }
        var invoke = server.InvokeAddress.ToString().TrimEnd('/');
        log.Info($"Lambda Invoke API on {invoke}: aws lambda invoke --endpoint-url {invoke} --function-name {(routes.Count > 0 ? server.FunctionName(routes[0]) : "NAME")} out.json (SigV4-signed calls only, as AWS's SDKs and CLI make them: any credentials sign)");
        if (console is not null)
        {
            log.Info($"Console on {console.ToString().TrimEnd('/')}: the functions and their instances, invoke one with a sample event, live traffic (--no-console: none).");
        }
        log.Info("Ctrl-C stops.");
    }

    /// <summary>"  (token)", "  (token: items:write)", or nothing for an open route.</summary>
    private static string Access(Template.RouteAuthorization? authorization) => authorization switch
    {
        null => "",
        { Scopes.Count: 0 } => "  (token)",
        _ => $"  (token: {string.Join(" or ", authorization.Scopes)})",
    };

    /// <summary>
    /// A curl for the function's sample event, or null when it has none (or one a terminal line cannot carry); on a
    /// route that needs a token, with one from ./fn token.
    /// </summary>
    public static string? Example(Repository repository, string function, string address, Template.RouteAuthorization? authorization = null)
    {
        var file = repository.SampleEvent(function);
        if (!File.Exists(file))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var root = json.RootElement;
            var method = root.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString()!;
            var path = root.GetProperty("rawPath").GetString()!;
            var query = root.TryGetProperty("rawQueryString", out var raw) && raw.GetString() is { Length: > 0 } q ? "?" + q : "";
            var curl = new StringBuilder($"curl -s");
            if (method != "GET")
            {
                curl.Append($" -X {method}");
            }
            // Quoted only when the shell would split it: a query's & would.
            curl.Append(query.Length == 0 ? $" {address}{path}" : $" '{address}{path}{query}'");
            if (authorization is not null)
            {
                curl.Append($" -H \"authorization: Bearer $({Commands.TokenCommand.CommandFor(authorization.Scopes.Take(1))})\"");
            }
            if (root.TryGetProperty("body", out var body) && body.GetString() is { } text
                && !(root.TryGetProperty("isBase64Encoded", out var encoded) && encoded.GetBoolean()))
            {
                if (text.Length > MaxExampleBody || text.Contains('\'', StringComparison.Ordinal))
                {
                    return null;
                }
                var contentType = root.TryGetProperty("headers", out var headers) && headers.TryGetProperty("content-type", out var type) ? type.GetString() : null;
                if (contentType is not null)
                {
                    curl.Append($" -H 'content-type: {contentType}'");
                }
                curl.Append($" -d '{text}'");
            }
            return curl.ToString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null; // A sample that is not a payload 2.0 event makes no example; the function is still served.
        }
    }

    /// <summary>
    /// Said when serve listens beyond loopback: nothing local checks who calls, so anyone who can reach the port can
    /// write. Null on a loopback address.
    /// </summary>
    public static string? NetworkWarning(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address))
            ? null
            : $"warning: --host {host} serves this API to the network with no authentication worth the name: routes without an "
              + "authorizer are open, and the others take any token the dev issuer's key (.fn/dev-issuer, readable here) signs. "
              + "Use 127.0.0.1 unless you mean it.";
}
