using System.Text;

namespace Functions.Tools.RuntimeApi.Http1;

/// <summary>
/// Reads a request line and header fields (RFC 9112) as strictly as Kestrel does: CRLF line ends, a token for the
/// method and each field name, an origin-form target, no control characters, one framing for the body.
/// </summary>
internal static class Http1Head
{
    /// <summary>The request in <paramref name="head"/> (without its closing blank line).</summary>
    /// <exception cref="MalformedRequestException">It is not a request this server can read.</exception>
    public static Http1Request Parse(ReadOnlySpan<byte> head, Http1Connection connection)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        var (method, path, http10) = RequestLine(requestLine);
        var headers = new List<KeyValuePair<string, string>>(8);
        long? length = null;
        var (chunked, close, keepAlive, expectsContinue) = (false, false, false, false);
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var (name, value) = Field(line);
            headers.Add(new(name, value));
            if (Is(name, "Content-Length"))
            {
                var declared = Length(value);
                if (length is { } earlier && earlier != declared)
                {
                    throw Bad("The request declares two different Content-Length values.");
                }
                length = declared;
            }
            else if (Is(name, "Transfer-Encoding"))
            {
                chunked = value.AsSpan().TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase)
                    ? true
                    : throw Bad($"Transfer-Encoding {value} is not supported: send the body with a Content-Length or chunked.");
            }
            else if (Is(name, "Connection"))
            {
                close |= value.Contains("close", StringComparison.OrdinalIgnoreCase);
                keepAlive |= value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
            }
            else if (Is(name, "Expect"))
            {
                expectsContinue = string.Equals(value, "100-continue", StringComparison.OrdinalIgnoreCase);
            }
        }
        var framing = new BodyFraming(chunked, chunked ? 0 : length ?? 0);
        return new Http1Request(method, path, headers, framing, keepAlive: !close && (!http10 || keepAlive), expectsContinue, connection);
    }

    private static (string Method, string Path, bool Http10) RequestLine(ReadOnlySpan<byte> line)
    {
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            throw Bad("The request line is not \"METHOD /path HTTP/1.1\".");
        }
        var method = line[..firstSpace];
        var target = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (!IsToken(method) || target[0] != (byte)'/' || target.IndexOfAnyInRange((byte)0, (byte)' ') >= 0 || target.Contains((byte)0x7f))
        {
            throw Bad("The request line is not \"METHOD /path HTTP/1.1\".");
        }
        var http10 = version.SequenceEqual("HTTP/1.0"u8);
        if (!http10 && !version.SequenceEqual("HTTP/1.1"u8))
        {
            throw new MalformedRequestException(505, "Only HTTP/1.1 and HTTP/1.0 are served here.");
        }
        var query = target.IndexOf((byte)'?');
        return (Encoding.ASCII.GetString(method), Encoding.ASCII.GetString(query < 0 ? target : target[..query]), http10);
    }

    private static (string Name, string Value) Field(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            throw Bad("A header line is not \"Name: value\".");
        }
        var value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7f)
            {
                throw Bad("A header value holds a control character.");
            }
        }
        return (Encoding.ASCII.GetString(line[..colon]), Encoding.UTF8.GetString(value));
    }

    private static long Length(string value) =>
        value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit)
            ? long.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw Bad($"Content-Length {value} is not a length.");

    /// <summary>RFC 9110's tchar: letters, digits and !#$%&amp;'*+-.^_`|~.</summary>
    private static bool IsToken(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && "!#$%&'*+-.^_`|~"u8.IndexOf(b) < 0)
            {
                return false;
            }
        }
        return !text.IsEmpty;
    }

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    private static MalformedRequestException Bad(string message) => new(400, message);
}
