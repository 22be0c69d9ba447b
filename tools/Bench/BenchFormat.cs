using System.Globalization;

namespace Functions.Tools.Bench;

/// <summary>How every writer prints figures, so the markdown, the terminal and the chart agree to the digit.</summary>
internal static class BenchFormat
{
    public const string Missing = "–";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Two decimals below 10 ms, where AOT's warm invocations live; one above, where the digit is noise.</summary>
    public static string Ms(double? ms) => ms switch
    {
        null => Missing,
        < 10 => ms.Value.ToString("0.00", C),
        _ => ms.Value.ToString("0.0", C),
    };

    /// <summary>Mebibytes (1,048,576 bytes), as ./fn build prints sizes; 0 bytes means not measured.</summary>
    public static string Megabytes(long bytes) => bytes > 0 ? (bytes / 1048576.0).ToString("0.0", C) : Missing;

    public static string Megabytes(int? mb) => mb is { } value ? value.ToString(C) : Missing;

    public static string Seconds(double? seconds) => seconds is { } value ? value.ToString("0.0", C) : Missing;

    /// <summary>Four decimals per million requests, so a compute difference of a hundredth of a cent still shows.</summary>
    public static string PerMillion(decimal dollars) => "$" + dollars.ToString("0.0000", C);

    public static string PerMonth(decimal dollars) => "$" + dollars.ToString("#,##0.00", C);

    public static string Count(int count) => count.ToString(C);

    public static string Number(double value) => value.ToString("0.##", C);

    public static string Percent(double share) => (share * 100).ToString("0.##", C) + " %";

    public static string Rps(double rps) => rps.ToString("#,##0.##", C);

    public static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", C);
}
