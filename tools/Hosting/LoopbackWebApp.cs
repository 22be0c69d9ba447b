using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

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
        // Empty: no configuration files (the slim builder watches appsettings.json in the working directory, one
        // watcher thread per app, and serve runs an app per function instance), no logging, Kestrel and routing only.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
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

    /// <summary>
    /// Listens for a front door on <paramref name="host"/> ("localhost" or an IP address) and <paramref name="port"/>,
    /// with Kestrel's own refusals answered in the door's shape (see <see cref="ServerRefusals"/>).
    /// </summary>
    /// <exception cref="UsageError">The host is neither.</exception>
    public static void ListenAsFrontDoor(KestrelServerOptions kestrel, string host, int port, Func<int, RefusalAnswer> refused)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        void Configure(ListenOptions listen) => ServerRefusals.Rewrite(listen, refused);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else if (System.Net.IPAddress.TryParse(host, out var address))
        {
            kestrel.Listen(address, port, Configure);
        }
        else
        {
            throw new UsageError($"--host {host} is not an IP address or localhost.");
        }
    }

    /// <summary>
    /// Starts a front door made with <see cref="ListenAsFrontDoor"/>: every request to <paramref name="handle"/>, marked
    /// as the application's so its answers are never taken for Kestrel's refusals. A port that cannot be had is the
    /// user's to fix: <paramref name="cannotListen"/> says how.
    /// </summary>
    public static async Task StartFrontDoorAsync(WebApplication app, RequestDelegate handle, Func<IOException, UserError> cannotListen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(cannotListen);
        ServerRefusals.MarkApplicationResponses(app);
        app.Run(handle);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw cannotListen(e);
        }
    }

    /// <summary>The first address a started app listens on, with the real port when 0 was asked for.</summary>
    public static Uri ListeningAddress(this WebApplication app) => app.ListeningAddresses()[0];

    /// <summary>Every address a started app listens on, in the order its listeners were configured.</summary>
    public static IReadOnlyList<Uri> ListeningAddresses(this WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
}
