using Functions.Tools.Auth;
using Functions.Tools.Hosting;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.Invoke;

/// <summary>
/// Who may call serve's Invoke API: what AWS's SDKs and CLI send, and nothing a web page can. Any page a developer
/// opens may POST to a local port without a preflight (text/plain, no header of its own), and reach it under a DNS name
/// that resolves to 127.0.0.1 (DNS rebinding); what it cannot do is send an Authorization header to another origin
/// without a preflight, which this API never answers. So a request needs SigV4's Authorization header, as Lambda's
/// own API does (any credentials: the signature is not checked, as serve cannot know the caller's secret), and one
/// that names a web origin other than the API's own, or a host by a DNS name other than localhost, is refused.
/// </summary>
internal static class CallerCheck
{
    public static InvokeError? Refusal(HttpRequest request)
    {
        var host = request.Host.Host;
        if (!LoopbackNames.IsThisMachine(host))
        {
            return new InvokeError(403, "AccessDeniedException",
                $"Host {InvokeError.Shown(host)} is refused: serve's Invoke API answers requests to 127.0.0.1, localhost or an IP address; "
                + "another name that leads here is how a web page reaches it (DNS rebinding).");
        }
        if (!LoopbackNames.IsOwnOriginOrNone(request))
        {
            return new InvokeError(403, "AccessDeniedException",
                $"A request from the web origin {InvokeError.Shown(request.Headers.Origin.ToString())} is refused: serve's Invoke API is for AWS's SDKs and CLI, not for pages a browser opens.");
        }
        return SigV4Shape.Check(request.Headers) switch
        {
            (SigV4Fault.Missing, _) => new InvokeError(403, "MissingAuthenticationTokenException",
                "Missing Authentication Token: serve's Invoke API takes requests signed with SigV4 (an Authorization header), as AWS's SDKs and CLI send them; "
                + "any credentials will do, e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local."),
            (SigV4Fault.Incomplete, var detail) => new InvokeError(400, "IncompleteSignatureException", detail!),
            _ => null,
        };
    }
}
