namespace Functions.Errors;

/// <summary>A failure the client caused or must know about; becomes an RFC 9457 problem with this status.</summary>
public sealed class ApiError : Exception
{
    private ApiError(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(detail)
    {
        Status = status;
        Errors = errors;
    }

    public int Status { get; }

    /// <summary>Per field, what is wrong with it.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    public static ApiError BadRequest(string detail, IReadOnlyDictionary<string, string[]>? errors = null) => new(400, detail, errors);

    public static ApiError Invalid(string field, string message) =>
        BadRequest($"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The caller is authenticated, and the API will not do this for them (RFC 9110 §15.5.4).</summary>
    public static ApiError Forbidden(string detail) => new(403, detail);

    public static ApiError NotFound(string detail) => new(404, detail);

    /// <summary>The resource answers other methods (a function URL answers every method, so its handler says which it takes).</summary>
    public static ApiError MethodNotAllowed(string detail) => new(405, detail);

    public static ApiError Conflict(string detail) => new(409, detail);

    public static ApiError PreconditionFailed(string detail) => new(412, detail);

    public static ApiError PayloadTooLarge(string detail) => new(413, detail);

    public static ApiError UnsupportedMediaType(string detail) => new(415, detail);

    public static ApiError ServiceUnavailable(string detail) => new(503, detail);
}
