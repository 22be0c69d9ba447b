using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Functions.Tools.Hosting;

/// <summary>
/// Kestrel the way the tool's own servers use it (the Runtime API emulator, the local API gateway, the tests' fake
/// Runtime API): no logging of its own, listening where the caller says, usually port 0.
/// </summary>
public static class LoopbackWebApp
{
    private const int RequestBufferBytes = 64 * 1024;

    public static WebApplication Create(Action<KestrelServerOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Bodies are read by our own loop as fast as they come; a larger buffer per connection only leaves more of
        // Kestrel's pinned blocks behind after a burst (1 MB a connection by default: 20 MB after twenty large bodies).
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = RequestBufferBytes);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBufferSize = RequestBufferBytes;
            configure(kestrel);
        });
        return builder.Build();
    }

    /// <summary>The first address a started app listens on, with the real port when 0 was asked for.</summary>
    public static Uri ListeningAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
