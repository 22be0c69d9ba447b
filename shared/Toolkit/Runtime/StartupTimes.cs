using System.Diagnostics;
using System.Globalization;

namespace Functions.Runtime;

/// <summary>
/// When the function's Main began and when its init code had built the handler, on the machine's monotonic clock
/// (Stopwatch timestamps: CLOCK_MONOTONIC on Linux, shared by every process on the machine). A local Runtime API that
/// noted when it started the process splits the init into the runtime's start, the init code and the first request.
/// </summary>
public sealed record StartupTimes(long MainTimestamp, long InitializedTimestamp)
{
    /// <summary>"main=123; initialized=456", in nanoseconds of the monotonic clock.</summary>
    public string ToHeader() => string.Create(CultureInfo.InvariantCulture, $"main={Nanoseconds(MainTimestamp)}; initialized={Nanoseconds(InitializedTimestamp)}");

    /// <summary>The header's two times as Stopwatch timestamps, or null when it is not one of ours.</summary>
    public static StartupTimes? Parse(string? header)
    {
        if (header is null)
        {
            return null;
        }
        long? main = null, initialized = null;
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && long.TryParse(part.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ns))
            {
                var timestamp = (long)(ns * (Stopwatch.Frequency / 1e9));
                switch (part[..equals])
                {
                    case "main": main = timestamp; break;
                    case "initialized": initialized = timestamp; break;
                }
            }
        }
        return main is { } m && initialized is { } i && i >= m ? new StartupTimes(m, i) : null;
    }

    private static long Nanoseconds(long timestamp) => (long)(timestamp * (1e9 / Stopwatch.Frequency));
}
