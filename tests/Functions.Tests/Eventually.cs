namespace Functions.Tests;

/// <summary>Waits for something another process does (a log line, a process gone), polling, up to a limit.</summary>
internal static class Eventually
{
    /// <exception cref="OperationCanceledException">The condition did not hold within <paramref name="limit"/>.</exception>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
