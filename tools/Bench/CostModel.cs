namespace Functions.Tools.Bench;

/// <summary>What the cost model needs to know about one function built one way, at one configured memory size.</summary>
public sealed record CostInput(
    string Function,
    string Mode,
    string Architecture,
    int MemoryMb,
    double WarmDurationMs,
    double ColdInitMs,
    double ColdDurationMs)
{
    /// <summary>
    /// The input for a measured result: the mean of each duration, because a bill is a sum and so follows the mean,
    /// not the median. Without warm samples the first-invoke duration stands in for the warm one; null without any sample.
    /// </summary>
    public static CostInput? From(ModeResult result, string architecture, int memoryMb)
    {
        var cold = result.ColdDuration;
        var warm = result.Warm ?? cold;
        if (warm is null)
        {
            return null;
        }
        return new CostInput(result.Function, result.Mode, architecture, memoryMb, warm.Mean, result.ColdInit?.Mean ?? 0, cold?.Mean ?? warm.Mean);
    }
}

/// <summary>Cost of one million requests, and of a 30-day month at each request rate, in US dollars.</summary>
public sealed record CostRow(
    string Function,
    string Mode,
    string Architecture,
    int MemoryMb,
    decimal PerMillionRequests,
    IReadOnlyList<(double Rps, decimal PerMonth)> Monthly);

/// <summary>
/// Per million requests: Lambda requests + HTTP API requests + DynamoDB request units + compute, where compute is
/// GB-seconds × the architecture's price and each invocation's duration is billed rounded up to the whole millisecond.
/// A cold invocation bills its init phase plus its duration (Lambda bills INIT for every function since 2025-08-01);
/// a warm one bills its duration.
/// Simplifications, each of which a reader of the table should know:
/// - A duration is priced at the memory size it was measured at, and only there: on Lambda, as in a shaped local run,
///   CPU grows with memory, so another size runs another duration (./fn tune measures each).
/// - HTTP API's monthly tiers count ($0.90 per million past the first 300 million, about 116 rps); the per-million
///   figure is the first tier's. Lambda's duration tiers do not: the second starts past 6 billion GB-seconds a month
///   (x86_64; 7.5 billion arm64), some 2,300 req/s of 1 s invocations at 1 GB, far past any row here. No free tier.
/// - The route's success-path DynamoDB units (prices.json); refused requests and data transfer are not counted.
/// </summary>
public static class CostModel
{
    /// <summary>A month of 30 days, 2,592,000 seconds.</summary>
    public const double SecondsPerMonth = 30 * 24 * 60 * 60;

    private const decimal MbPerGb = 1024m;

    /// <summary>Lambda's share of requests that start a new execution environment is under 1 % in production (AWS, 2025).</summary>
    public const double DefaultColdShare = 0.01;

    public static CostRow Compute(CostInput input, Prices prices, double coldShare, IReadOnlyList<double> rpsLevels)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(rpsLevels);
        if (!(coldShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coldShare), coldShare, "The cold share is a fraction from 0 to 1 (0.01 is 1 %).");
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(input.MemoryMb, 0, nameof(input));
        foreach (var duration in new[] { input.WarmDurationMs, input.ColdInitMs, input.ColdDurationMs })
        {
            if (!double.IsFinite(duration) || duration < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(input), duration, "Durations are finite milliseconds, zero or more.");
            }
        }
        if (rpsLevels.Any(rps => !double.IsFinite(rps) || rps < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(rpsLevels), "Request rates are finite requests per second, zero or more.");
        }

        var perMillion = PerMillionRequests(input, prices, (decimal)coldShare);
        // Everything but the HTTP API scales with requests; the HTTP API's month is priced tier by tier.
        var perMillionBesidesApi = perMillion - prices.HttpApiPerMillionRequests;
        var monthly = rpsLevels.Select(rps =>
        {
            var requests = (decimal)(rps * SecondsPerMonth);
            return (rps, perMillionBesidesApi * requests / 1_000_000m + prices.HttpApiMonth(requests));
        }).ToList();
        return new CostRow(input.Function, input.Mode, input.Architecture, input.MemoryMb, perMillion, monthly);
    }

    /// <summary>Lambda bills whole milliseconds, rounded up: 10.01 ms is billed as 11 ms.</summary>
    public static long BilledMs(double durationMs) => (long)Math.Ceiling(durationMs);

    private static decimal PerMillionRequests(CostInput input, Prices prices, decimal coldShare)
    {
        var units = prices.UnitsFor(input.Function);
        var dynamoDb = units.Read * prices.PerMillionReadRequestUnits + units.Write * prices.PerMillionWriteRequestUnits;

        var warmBilledMs = BilledMs(input.WarmDurationMs);
        var coldBilledMs = BilledMs(input.ColdInitMs + input.ColdDurationMs);
        var meanBilledMs = (1 - coldShare) * warmBilledMs + coldShare * coldBilledMs;
        var gbSeconds = 1_000_000m * meanBilledMs / 1000m * (input.MemoryMb / MbPerGb);
        var compute = gbSeconds * prices.PerGbSecond(input.Architecture);

        return prices.LambdaPerMillionRequests + prices.HttpApiPerMillionRequests + dynamoDb + compute;
    }
}
