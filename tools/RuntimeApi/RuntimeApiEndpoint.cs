using Functions.Tools.RuntimeApi.Http1;

namespace Functions.Tools.RuntimeApi;

/// <summary>One instance's own Runtime API listener (see <see cref="RuntimeApiServer.OpenEndpointAsync"/>).</summary>
public sealed class RuntimeApiEndpoint(Http1Listener listener) : IAsyncDisposable
{
    /// <summary>AWS_LAMBDA_RUNTIME_API: host and port, nothing else.</summary>
    public string HostAndPort => listener.HostAndPort;

    /// <summary>Stops at once: an instance being torn down may still hold a /next open.</summary>
    public ValueTask DisposeAsync() => listener.DisposeAsync();
}
