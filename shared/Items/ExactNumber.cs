namespace Functions.Items;

/// <summary>Reads a JSON number's text exactly, before any conversion can round it.</summary>
public static class ExactNumber
{
    /// <summary>The most significant digits a decimal holds exactly.</summary>
    private const int MaxDigits = 28;

    /// <summary>
    /// Whether the number, once trailing zeros are dropped ("12.50" is 12.5, "1E3" 1000), needs more than
    /// <paramref name="maxDecimals"/> decimals ("1e-400" needs 400), or more digits than a decimal holds exactly.
    /// </summary>
    public static NumberFit Fit(string json, int maxDecimals)
    {
        var text = json.TrimStart('-');
        var e = text.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? text : text[..e];
        if (!int.TryParse(e < 0 ? "0" : text[(e + 1)..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var exponent))
        {
            return ExponentOverflow(text);
        }
        var dot = mantissa.IndexOf('.');
        var fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        var digits = (dot < 0 ? mantissa : mantissa[..dot] + fraction).TrimStart('0');
        var trimmed = digits.TrimEnd('0');
        if (trimmed.Length == 0)
        {
            return NumberFit.Exact; // Zero, however it is written.
        }
        // value = trimmed x 10^scale
        var scale = (long)exponent - fraction.Length + (digits.Length - trimmed.Length);
        if (-scale > maxDecimals)
        {
            return NumberFit.TooManyDecimals;
        }
        return trimmed.Length > MaxDigits || trimmed.Length + Math.Max(scale, 0) > MaxDigits ? NumberFit.OutOfRange : NumberFit.Exact;
    }

    // A negative exponent past int's range is a number of too many decimals; a positive one, far past decimal's range.
    private static NumberFit ExponentOverflow(string text) =>
        text.Contains("e-", StringComparison.OrdinalIgnoreCase) ? NumberFit.TooManyDecimals : NumberFit.OutOfRange;
}

public enum NumberFit
{
    Exact,
    TooManyDecimals,
    OutOfRange,
}
