using Microsoft.AspNetCore.Builder;

namespace Functions.Tools.RuntimeApi;

/// <summary>One instance's own Runtime API listener (see <see cref="RuntimeApiServer.OpenEndpointAsync"/>).</summary>
public sealed class RuntimeApiEndpoint(WebApplication app, string hostAndPort) : IAsyncDisposable
{
    /// <summary>AWS_LAMBDA_RUNTIME_API: host and port, nothing else.</summary>
    public string HostAndPort { get; } = hostAndPort;

    public async ValueTask DisposeAsync()
    {
        // An instance being torn down may still hold a /next open: do not wait for it.
        using var now = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await app.StopAsync(now.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
