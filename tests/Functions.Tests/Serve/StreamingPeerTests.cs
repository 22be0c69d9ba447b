using System.Net;
using Functions.Tools.ApiGateway;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Functions.Tools.Serve;
using Functions.Tools.Template;

namespace Functions.Tests.Serve;

/// <summary>
/// A function written against the Runtime API alone (tests/Fixtures/StreamingPeer: Python, nothing of this toolkit)
/// streaming through serve's function URL: serve is an emulator of Lambda, not of our own client.
/// </summary>
public sealed class StreamingPeerTests
{
    private static readonly string PeerBootstrap = Path.Combine(Repository.Locate().Root, "tests", "Fixtures", "StreamingPeer", "bootstrap");

    [Fact]
    public async Task A_runtime_that_is_not_ours_streams_its_prelude_and_binary_body_through_a_function_URL_byte_for_byte()
    {
        await using var runtimeApi = await RuntimeApiServer.StartAsync();
        var output = new StringWriter();
        var log = new ServeLog(output);
        var spec = new FunctionSpec("Peer", PeerBootstrap, 128, TimeSpan.FromSeconds(10), new Dictionary<string, string>());
        await using var pool = new FunctionPool(spec, runtimeApi, new PoolSettings(1, TimeSpan.FromMinutes(1)), line => log.Function("Peer", line));
        var state = new ApiState(RouteTable.Create([]), new Dictionary<string, FunctionPool> { ["PeerFn"] = pool })
        {
            Urls = new FunctionUrls([("Peer", new TemplateFunctionUrl("PeerFn", "NONE", "RESPONSE_STREAM"))]),
        };
        await using var api = await LocalApi.StartAsync(new LocalApiOptions("127.0.0.1", 0, TimeSpan.FromSeconds(15)) { UrlPort = 0 }, state, log);
        using var client = new HttpClient { BaseAddress = api.UrlAddress };

        using var first = await client.GetAsync("/Peer/");
        using var second = await client.GetAsync("/Peer/");

        // Four pieces of every byte value, each followed by a NUL run as long as the prelude's delimiter and a line end.
        byte[] piece = [.. Enumerable.Range(0, 256).Select(b => (byte)b), .. new byte[8], .. "end\n"u8];
        byte[] expected = [.. piece, .. piece, .. piece, .. piece];
        foreach (var response in new[] { first, second })
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, output.ToString());
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("python", response.Headers.GetValues("x-runtime").Single());
            Assert.Equal("peer=1; Secure", response.Headers.GetValues("Set-Cookie").Single());
            Assert.True(response.Headers.TransferEncodingChunked);
            Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        }
    }
}
