namespace Functions.Runtime.Connection;

/// <summary>The Runtime API's answer, its body whole; <see cref="KeepAlive"/> when the connection can carry the next request.</summary>
internal sealed record RuntimeApiResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool KeepAlive)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The first field of that name (names are case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }
}
