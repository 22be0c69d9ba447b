using System.Net.Sockets;
using System.Text;

namespace Functions.Tests;

/// <summary>
/// One HTTP/1.1 request written byte for byte over a socket, for what HttpClient will not send (a NUL in the path, a
/// malformed header line, a 1 MB header): the answer as text, read until the server closes or its body is complete.
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <param name="head">The request line and headers, each ending in CRLF, without the blank line.</param>
    public static Task<RawAnswer> SendAsync(Uri server, string head, string body = "") =>
        SendWholeAsync(server, head + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n" + body);

    /// <summary>The request exactly as given: line, headers, blank line and body (framing is the caller's).</summary>
    public static async Task<RawAnswer> SendWholeAsync(Uri server, string whole)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port).WaitAsync(Patience);
        var stream = client.GetStream();
        var request = Encoding.UTF8.GetBytes(whole);
        // The server may answer and close before it has read everything (a refused head): keep reading regardless.
        var writing = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(request);
            }
            catch (IOException)
            {
            }
        });
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // Reset after the answer arrived: the server closed with our unread bytes still in its buffer.
        }
        await writing.WaitAsync(Patience);
        return RawAnswer.Parse(Encoding.UTF8.GetString(received.ToArray()));
    }
}

/// <summary>A response as it came over the wire.</summary>
internal sealed record RawAnswer(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static RawAnswer Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"No HTTP response head in: {text}");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0].Trim(), p[1].Trim())).ToList();
        return new RawAnswer(status, headers, text[(end + 4)..]);
    }
}
