namespace Functions;

/// <summary>
/// Makes a static method the function's handler for one HTTP API route and verb: Functions.Generator writes the program
/// that binds each request to its parameters, and the CDK app builds the route from this attribute. The
/// arguments are literals: the CDK app reads them from the source.
/// </summary>
/// <param name="method">GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY.</param>
/// <param name="path">The route path: /items/{id}; a parameter binds to the method parameter of the same name.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HttpApiAttribute(string method, string path) : Attribute
{
    public string Method { get; } = method;

    public string Path { get; } = path;
}
