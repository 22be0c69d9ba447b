namespace Functions.Http;

/// <summary>A payload format 2.0 response; API Gateway turns it into the HTTP response.</summary>
public sealed class HttpApiResponse
{
    public int StatusCode { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    /// <summary>Each becomes a set-cookie header.</summary>
    public List<string>? Cookies { get; set; }
    public string? Body { get; set; }
    public bool IsBase64Encoded { get; set; }
}
