using Functions.Runtime;

namespace Functions;

/// <summary>Binds a parameter to a query string value (its own name unless given).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class FromQueryAttribute(string? name = null) : Attribute
{
    public string? Name { get; } = name;
}

/// <summary>Binds a parameter to a request header (its own name unless given; compared without case).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class FromHeaderAttribute(string? name = null) : Attribute
{
    public string? Name { get; } = name;
}

/// <summary>A service a handler takes as a parameter: built once per execution environment, at init, and reused.</summary>
public interface IFunctionService<TSelf> where TSelf : IFunctionService<TSelf>
{
    /// <summary>Builds the service; an exception here is the function's init error.</summary>
    static abstract TSelf Create(FunctionStartup startup);
}

/// <summary>
/// A type a handler takes as its JSON body: it reads (and validates) itself from the body's UTF-8 JSON, which
/// <see cref="Http.RequestBody.ReadJson"/> has already checked for content type (415) and size (413).
/// </summary>
public interface IFromBody<TSelf> where TSelf : IFromBody<TSelf>
{
    /// <summary>Throws <see cref="Errors.ApiError"/> (a 400) for a body it cannot accept.</summary>
    static abstract TSelf FromBody(ReadOnlyMemory<byte> json);
}
