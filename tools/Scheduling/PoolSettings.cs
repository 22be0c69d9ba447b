namespace Functions.Tools.Scheduling;

/// <summary>How many instances a function may have at once, and how long an idle one is kept warm.</summary>
public sealed record PoolSettings(int MaxConcurrency, TimeSpan IdleTimeout)
{
    /// <summary>Lambda's default burst is far higher; ten keeps a laptop responsive and still shows cold starts under load.</summary>
    public const int DefaultMaxConcurrency = 10;

    /// <summary>Lambda keeps idle environments for minutes (undocumented, typically 5-15); locally five minutes.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);
}
