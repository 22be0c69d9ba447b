using System.Text.Json;

namespace Functions.Http;

/// <summary>
/// An HTTP API (API Gateway v2) event, payload format 2.0, field for field as AWS documents it:
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
/// </summary>
public sealed class HttpApiRequest
{
    public string? Version { get; set; }
    public string? RouteKey { get; set; }
    public string? RawPath { get; set; }
    public string? RawQueryString { get; set; }
    public List<string>? Cookies { get; set; }
    /// <summary>Lowercased names; repeated headers are comma-joined.</summary>
    public Dictionary<string, string>? Headers { get; set; }
    /// <summary>Repeated parameters are comma-joined.</summary>
    public Dictionary<string, string>? QueryStringParameters { get; set; }
    public HttpApiRequestContext? RequestContext { get; set; }
    public string? Body { get; set; }
    public Dictionary<string, string>? PathParameters { get; set; }
    public bool IsBase64Encoded { get; set; }
    public Dictionary<string, string>? StageVariables { get; set; }

    public string? Header(string name) =>
        Headers is not null && Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    public string? PathParameter(string name) =>
        PathParameters is not null && PathParameters.TryGetValue(name, out var value) ? value : null;

    public string? QueryParameter(string name) =>
        QueryStringParameters is not null && QueryStringParameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// A claim of the token the route's JWT authorizer accepted ("sub", "email", "scope"), as HTTP API passes it (text);
    /// null on a route without an authorizer, or when the token has no such claim.
    /// </summary>
    public string? Claim(string name) =>
        RequestContext?.Authorizer?.Jwt?.Claims is { } claims && claims.TryGetValue(name, out var value) ? value : null;
}

public sealed class HttpApiRequestContext
{
    public string? AccountId { get; set; }
    public string? ApiId { get; set; }
    public HttpApiAuthentication? Authentication { get; set; }
    public HttpApiAuthorizer? Authorizer { get; set; }
    public string? DomainName { get; set; }
    public string? DomainPrefix { get; set; }
    public HttpApiHttpDescription? Http { get; set; }
    public string? RequestId { get; set; }
    public string? RouteKey { get; set; }
    public string? Stage { get; set; }
    public string? Time { get; set; }
    public long TimeEpoch { get; set; }
}

public sealed class HttpApiHttpDescription
{
    public string? Method { get; set; }
    public string? Path { get; set; }
    public string? Protocol { get; set; }
    public string? SourceIp { get; set; }
    public string? UserAgent { get; set; }
}

public sealed class HttpApiAuthentication
{
    public HttpApiClientCert? ClientCert { get; set; }
}

public sealed class HttpApiClientCert
{
    public string? ClientCertPem { get; set; }
    public string? SubjectDN { get; set; }
    public string? IssuerDN { get; set; }
    public string? SerialNumber { get; set; }
    public HttpApiCertValidity? Validity { get; set; }
}

public sealed class HttpApiCertValidity
{
    public string? NotBefore { get; set; }
    public string? NotAfter { get; set; }
}

public sealed class HttpApiAuthorizer
{
    public HttpApiJwtAuthorizer? Jwt { get; set; }
    public HttpApiIamAuthorizer? Iam { get; set; }
    /// <summary>Whatever a Lambda authorizer put in its context.</summary>
    public Dictionary<string, JsonElement>? Lambda { get; set; }
}

public sealed class HttpApiJwtAuthorizer
{
    public Dictionary<string, string>? Claims { get; set; }
    public List<string>? Scopes { get; set; }
}

public sealed class HttpApiIamAuthorizer
{
    public string? AccessKey { get; set; }
    public string? AccountId { get; set; }
    public string? CallerId { get; set; }
    public JsonElement? CognitoIdentity { get; set; }
    public string? PrincipalOrgId { get; set; }
    public string? UserArn { get; set; }
    public string? UserId { get; set; }
}
