using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Functions.Errors;
using Functions.Json;

namespace Functions.Http;

/// <summary>Small builders of payload 2.0 responses.</summary>
public static class Results
{
    public const string JsonContentType = "application/json";

    public static HttpApiResponse Json<T>(int statusCode, T value, JsonTypeInfo<T> type) => new()
    {
        StatusCode = statusCode,
        Headers = new Dictionary<string, string> { ["content-type"] = JsonContentType },
        Body = JsonSerializer.Serialize(value, type),
    };

    public static HttpApiResponse Ok<T>(T value, JsonTypeInfo<T> type) => Json(200, value, type);

    public static HttpApiResponse NoContent() => new() { StatusCode = 204 };

    public static HttpApiResponse Problem(int status, string? detail, string? requestId, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = Errors.Problem.For(status, detail, requestId, errors);
        return new HttpApiResponse
        {
            StatusCode = status,
            Headers = new Dictionary<string, string> { ["content-type"] = Errors.Problem.ContentType },
            Body = JsonSerializer.Serialize(problem, FunctionsJson.Wire.Problem),
        };
    }

    public static HttpApiResponse WithHeader(this HttpApiResponse response, string name, string value)
    {
        response.Headers ??= new Dictionary<string, string>();
        response.Headers[name] = value;
        return response;
    }
}
