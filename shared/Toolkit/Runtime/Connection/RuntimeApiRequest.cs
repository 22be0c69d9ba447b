namespace Functions.Runtime.Connection;

/// <summary>One request to the Runtime API: a JSON body when there is one, and any header fields beyond Host and the body's.</summary>
internal sealed record RuntimeApiRequest(string Method, string Path, ReadOnlyMemory<byte>? Body = null)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
