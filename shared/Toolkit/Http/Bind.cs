using System.Globalization;
using Functions.Errors;

namespace Functions.Http;

/// <summary>
/// What the generated programs call to turn request text into handler arguments. A value that does not parse, or a
/// required one that is missing, is the client's mistake: a 400 problem naming the value, never an exception.
/// </summary>
public static class Bind
{
    public static int? Int32(string? text, string what, string name) =>
        text is null ? null
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(what, name, "must be a whole number");

    public static long? Int64(string? text, string what, string name) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(what, name, "must be a whole number");

    public static bool? Boolean(string? text, string what, string name) =>
        text is null ? null
        : bool.TryParse(text, out var value) ? value
        : throw Invalid(what, name, "must be true or false");

    public static global::System.Guid? Guid(string? text, string what, string name) =>
        text is null ? null
        : System.Guid.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(what, name, "must be a GUID");

    public static string Required(string? value, string what, string name) =>
        value ?? throw Invalid(what, name, "is required");

    public static T Required<T>(T? value, string what, string name) where T : struct =>
        value ?? throw Invalid(what, name, "is required");

    private static ApiError Invalid(string what, string name, string problem) => ApiError.Invalid(name, $"{problem} (the {what} {name})");
}
