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
    public static WebApplication Create(Action<KestrelServerOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(configure);
        return builder.Build();
    }

    /// <summary>The first address a started app listens on, with the real port when 0 was asked for.</summary>
    public static Uri ListeningAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
