using System.Globalization;
using System.Text;

namespace Functions.Runtime.Connection;

/// <summary>A response's status line and header fields (RFC 9112 sections 4 and 5), and what they say about its body.</summary>
internal sealed record ResponseHead(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, long? ContentLength, bool Chunked, bool KeepAlive)
{
    public static ResponseHead Parse(ReadOnlySpan<byte> head, RuntimeApiRequest request)
    {
        var text = Encoding.UTF8.GetString(head);
        var lines = text.Split("\r\n");
        var status = lines[0];
        // "HTTP/1.1 200 OK": the version, a space, three digits.
        if (status.Length < 12 || !status.StartsWith("HTTP/1.", StringComparison.Ordinal) || status[8] != ' '
            || !int.TryParse(status.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: the answer is not HTTP/1.x ('{Shorten(status)}').");
        }
        var keepAlive = status[7] != '0';
        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        long? length = null;
        var chunked = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: a header line without a name ('{Shorten(line)}').");
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            headers.Add(new(name, value));
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && (length is null || length == parsed)
                    ? parsed
                    : throw new RuntimeApiConnectionException($"{request.Method} {request.Path}: a Content-Length that is not one ('{Shorten(value)}').");
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                keepAlive = value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase)
                    || (keepAlive && !value.Contains("close", StringComparison.OrdinalIgnoreCase));
            }
        }
        // A response to nothing but a status without content (1xx, 204, 304) has no body, whatever it says.
        if (code is < 200 or 204 or 304)
        {
            return new ResponseHead(code, headers, 0, false, keepAlive);
        }
        // Transfer-Encoding overrides Content-Length (RFC 9112 section 6.3).
        return new ResponseHead(code, headers, chunked ? null : length, chunked, keepAlive);
    }

    /// <summary>At most 32 characters of what the server sent, for an error message.</summary>
    public static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
