using Functions.Http;

namespace Functions.Tests.Http;

/// <summary>Payload 2.0 requests with only what a test cares about.</summary>
internal static class TestRequests
{
    public static HttpApiRequest Json(string? body, string? contentType = "application/json", bool base64 = false)
    {
        var request = new HttpApiRequest { Version = "2.0", Body = body, IsBase64Encoded = base64, Headers = [] };
        if (contentType is not null)
        {
            request.Headers["content-type"] = contentType;
        }
        return request;
    }

    public static HttpApiRequest WithHeader(string name, string value) =>
        new() { Version = "2.0", Headers = new Dictionary<string, string> { [name] = value } };

    public static HttpApiRequest WithQuery(string name, string value) =>
        new() { Version = "2.0", QueryStringParameters = new Dictionary<string, string> { [name] = value } };

    public static HttpApiRequest WithPathParameter(string name, string value) =>
        new() { Version = "2.0", PathParameters = new Dictionary<string, string> { [name] = value } };

    /// <summary>A request a JWT authorizer accepted, with this claim of its token (as HTTP API passes claims: text).</summary>
    public static HttpApiRequest WithClaim(string name, string value) =>
        new()
        {
            Version = "2.0",
            RequestContext = new HttpApiRequestContext
            {
                Authorizer = new HttpApiAuthorizer { Jwt = new HttpApiJwtAuthorizer { Claims = new Dictionary<string, string> { [name] = value } } },
            },
        };

    public static HttpApiRequest Empty() => new() { Version = "2.0" };
}
