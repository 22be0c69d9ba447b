using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

/// <summary>The published us-east-1 prices written out in code, so the arithmetic in tests does not move with prices.json.</summary>
internal static class TestPrices
{
    public static Prices UsEast1 { get; } = new(
        "2025-08-01",
        "us-east-1",
        ["https://aws.amazon.com/lambda/pricing/"],
        LambdaPerMillionRequests: 0.20m,
        PerGbSecondX86: 0.0000166667m,
        PerGbSecondArm64: 0.0000133334m,
        HttpApiPerMillionRequests: 1.00m,
        PerMillionWriteRequestUnits: 0.625m,
        PerMillionReadRequestUnits: 0.125m,
        new Dictionary<string, RequestUnits>
        {
            ["Hello"] = RequestUnits.None,
            ["Items.Create"] = new(0, 1),
            ["Items.Get"] = new(1, 0),
        })
    {
        HttpApiTiers = [new PriceTier(300, 1.00m), new PriceTier(null, 0.90m)],
    };
}
