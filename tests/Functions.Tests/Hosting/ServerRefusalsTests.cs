using System.Text;
using Functions.Tools.Hosting;

namespace Functions.Tests.Hosting;

/// <summary>Which of Kestrel's writes are taken for its own bodyless refusals, and what replaces them.</summary>
public sealed class ServerRefusalsTests
{
    private static readonly RefusalAnswer Answer = new(431, ["content-type: application/json"], "{\"message\":\"x\"}"u8.ToArray());

    [Theory]
    [InlineData("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\nDate: Fri, 04 Dec 2026 22:00:00 GMT\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nDate: Fri, 04 Dec 2026 22:00:00 GMT\r\ncontent-length: 0\r\n\r\n")]
    public void A_bodyless_error_response_is_replaced_by_the_answer_with_its_length(string kestrel)
    {
        var replaced = ServerRefusals.Replacement(Encoding.ASCII.GetBytes(kestrel), _ => Answer);

        Assert.Equal(
            "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"message\":\"x\"}",
            Encoding.ASCII.GetString(replaced!));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")] // Not an error.
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n")] // Interim.
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found")] // Has a body.
    [InlineData("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n")] // Not a whole head.
    [InlineData("\0\0\u0012\u0004\0\0\0\0\0")] // An HTTP/2 frame.
    public void Anything_else_passes_unchanged(string written)
    {
        Assert.Null(ServerRefusals.Replacement(Encoding.Latin1.GetBytes(written), _ => Answer));
    }
}
