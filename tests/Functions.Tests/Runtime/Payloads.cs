using System.Text;
using Functions.Tools.RuntimeApi;

namespace Functions.Tests.Runtime;

/// <summary>Events and invocations for the runtime tests.</summary>
internal static class Payloads
{
    /// <summary>Just under Lambda's 6 MB, leaving room for nothing but the payload itself.</summary>
    public const int AlmostSixMegabytes = RuntimeApiServer.MaxPayloadBytes - 1024;

    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:runtime-tests";

    public const string TraceId = "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1";

    public static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>A JSON string of exactly <paramref name="bytes"/> bytes, quotes included.</summary>
    public static byte[] JsonString(int bytes)
    {
        var body = new byte[bytes];
        body.AsSpan().Fill((byte)'x');
        body[0] = (byte)'"';
        body[^1] = (byte)'"';
        return body;
    }

    public static PendingInvocation Invocation(byte[] payload, TimeSpan? timeout = null) =>
        new(Guid.NewGuid().ToString(), payload, timeout ?? TimeSpan.FromSeconds(30), FunctionArn, TraceId);
}
