using Functions.Tools.Hosting;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.WebConsole;

/// <summary>
/// Who may use the console: its own page, in a browser on this machine. A page from another site may send a request
/// to a local port, or reach it under a DNS name rebound to 127.0.0.1; it cannot make the browser send the console's
/// own Origin, nor a header of the console's own without a preflight, which the console never answers. So a request
/// by another host name than this machine's, or from another origin, is refused, and one that changes anything
/// (an invocation, a saved event) must carry <see cref="MarkerHeader"/>.
/// </summary>
internal static class ConsoleGuard
{
    /// <summary>Sent by the console's own page with every request that changes something.</summary>
    public const string MarkerHeader = "X-Fn-Console";

    /// <returns>Why the request is refused, or null when it may go on.</returns>
    public static string? Refusal(HttpRequest request)
    {
        if (!LoopbackNames.IsThisMachine(request.Host.Host))
        {
            return $"Host {ShownText.Of(request.Host.Host, 100)} is refused: the console answers 127.0.0.1, localhost or an IP address only (another name that leads here is how a web page reaches it).";
        }
        if (!LoopbackNames.IsOwnOriginOrNone(request))
        {
            return $"A request from the web origin {ShownText.Of(request.Headers.Origin.ToString(), 100)} is refused: the console takes requests from its own page only.";
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !request.Headers.ContainsKey(MarkerHeader))
        {
            return $"A {request.Method} without {MarkerHeader} is refused: only the console's own page changes anything.";
        }
        return null;
    }
}
