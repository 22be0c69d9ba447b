namespace Functions.Tools.RuntimeApi.Http1;

/// <summary>One request read from an <see cref="Http1Connection"/>: its line, its headers, and its body as it arrives.</summary>
public sealed class Http1Request
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;

    internal Http1Request(string method, string path, IReadOnlyList<KeyValuePair<string, string>> headers, BodyFraming framing, bool keepAlive, bool expectsContinue, Http1Connection connection)
    {
        Method = method;
        Path = path;
        _headers = headers;
        KeepAlive = keepAlive;
        ExpectsContinue = expectsContinue;
        ContentLength = framing.Chunked ? null : framing.Length;
        Body = new Http1Body(connection, framing, this);
        Aborted = connection.Aborted;
    }

    public string Method { get; }

    /// <summary>The target's path, still escaped as sent, without its query.</summary>
    public string Path { get; }

    /// <summary>The declared length; null for a chunked body.</summary>
    public long? ContentLength { get; }

    /// <summary>The body: exactly what the client framed, decoded from chunks when it sent them so.</summary>
    public Http1Body Body { get; }

    /// <summary>Cancelled when the client leaves while a handler waits (see <see cref="Http1Connection.WaitingAsync"/>) or the listener stops.</summary>
    public CancellationToken Aborted { get; }

    internal bool KeepAlive { get; }

    internal bool ExpectsContinue { get; }

    /// <summary>The first value of a header, by name in any case; null when it was not sent.</summary>
    public string? Header(string name) => First(_headers, name);

    /// <summary>The first value of a trailer, once a chunked body was read to its end; null before, and when it was not sent.</summary>
    public string? Trailer(string name) => First(Body.Trailers, name);

    private static string? First(IReadOnlyList<KeyValuePair<string, string>> fields, string name)
    {
        foreach (var (key, value) in fields)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }
}

/// <summary>How a request's body ends: after <see cref="Length"/> bytes, or at its last chunk.</summary>
internal readonly record struct BodyFraming(bool Chunked, long Length);
