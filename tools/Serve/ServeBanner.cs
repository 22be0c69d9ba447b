
namespace Functions.Tools.Serve;

/// <summary>What ./fn serve prints once it listens: where, the routes and the function behind each, and a first request.</summary>
public static class ServeBanner
{
    public static void Write(ServeLog log, LocalServer server, ServeOptions options, bool watch)
    {
        var address = server.Address.ToString().TrimEnd('/');
        var routes = server.Routes.Routes;
        log.Info($"Serving {routes.Count} routes on {address} ({options.Local.Describe()}; DynamoDB: {server.Storage}{(watch ? "; watching sources" : "")})");
        var width = routes.Select(r => r.RouteKey.Length).DefaultIfEmpty(0).Max();
        foreach (var route in routes)
        {
            log.Info($"  {route.RouteKey.PadRight(width)}  -> {server.FunctionName(route)}");
        }
        log.Info("Try:");
        log.Info($"  curl -s -X POST {address}/items -H 'content-type: application/json' -d '{{\"name\":\"Espresso cup\",\"price\":12.5}}'");
        log.Info($"  curl -s {address}/items");
        log.Info("Ctrl-C stops.");
    }
}
