namespace Functions;

/// <summary>
/// The route needs a valid token from the stack's JWT authorizer (context jwtIssuer and jwtAudience), and, when scopes
/// are given, a token that carries at least one of them (HTTP API's rule). Writes (POST, PUT, PATCH, DELETE) need a
/// token by default once the stack has an issuer; this makes any route need one and names its scopes. The arguments
/// are literals: the CDK app reads them from the source.
/// </summary>
/// <param name="scopes">OAuth scopes such as "items:write"; none: any valid token.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AuthorizeAttribute(params string[] scopes) : Attribute
{
    public IReadOnlyList<string> Scopes { get; } = scopes;
}

/// <summary>The route is open to anyone, even a write: the stack adds no authorizer to it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AllowAnonymousAttribute : Attribute;
