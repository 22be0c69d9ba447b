using System.Text.RegularExpressions;
using Functions.Tools.ApiGateway;
using Functions.Tools.DynamoDb;

namespace Functions.Tools.Invoke;

/// <summary>
/// The function an Invoke request names, read the way Lambda reads FunctionName and Qualifier
/// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): a name ("my-function"), a partial ARN
/// ("123456789012:function:my-function") or an ARN, each optionally with ":qualifier"; the whole value must match
/// Lambda's pattern, at most 170 characters, and a bare name at most 64. A qualifier in the name and another in
/// ?Qualifier= must agree.
/// </summary>
public sealed partial record InvokeTarget(string Name, string? Qualifier, string? Region, string? Account)
{
    public const int MaxLength = 170;
    public const int MaxBareNameLength = 64;
    public const int MaxQualifierLength = 128;

    /// <summary>Lambda's FunctionName pattern for Invoke, as its errors quote it; matched whole (ASCII digits only) by <see cref="NameRule"/>.</summary>
    private const string NamePattern =
        @"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";

    private const string QualifierPattern = @"(|[a-zA-Z0-9$_-]+)";

    /// <summary>The ARN this target names in serve's region and account, for Lambda's "Function not found" message.</summary>
    public string Arn => $"arn:aws:lambda:{Region ?? TableProvisioner.LocalRegion}:{Account ?? EventBuilder.AccountId}:function:{Name}"
        + (Qualifier is null ? "" : ":" + Qualifier);

    /// <summary>Whether it names one of serve's functions: serve's region and account, and the unpublished version.</summary>
    public bool IsLocal =>
        (Region is null or TableProvisioner.LocalRegion) && (Account is null or EventBuilder.AccountId) && (Qualifier is null or "$LATEST");

    /// <param name="functionName">The path segment, percent-decoded once (as the SDKs encode it once).</param>
    /// <param name="queryQualifier">?Qualifier=, when given.</param>
    /// <exception cref="InvokeError">The name or qualifier breaks Lambda's rules.</exception>
    public static InvokeTarget Parse(string functionName, string? queryQualifier)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        if (functionName.Length is 0 or > MaxLength)
        {
            throw InvokeError.Validation(functionName, "functionName", $"Member must have length {(functionName.Length == 0 ? "greater than or equal to 1" : $"less than or equal to {MaxLength}")}");
        }
        var match = NameRule().Match(functionName);
        if (!match.Success)
        {
            throw InvokeError.Validation(functionName, "functionName", $"Member must satisfy regular expression pattern: {NamePattern}");
        }
        var bare = !match.Groups["arn"].Success && !match.Groups["region"].Success && !match.Groups["account"].Success && !match.Groups["function"].Success;
        var name = match.Groups["name"].Value;
        if (bare && name.Length > MaxBareNameLength)
        {
            throw InvokeError.Validation(functionName, "functionName", $"Member must have length less than or equal to {MaxBareNameLength}");
        }
        if (queryQualifier is not null && (queryQualifier.Length is 0 or > MaxQualifierLength || !QualifierRule().IsMatch(queryQualifier)))
        {
            throw InvokeError.Validation(queryQualifier, "qualifier", queryQualifier.Length is 0 or > MaxQualifierLength
                ? $"Member must have length between 1 and {MaxQualifierLength}"
                : $"Member must satisfy regular expression pattern: {QualifierPattern}");
        }
        var derived = match.Groups["qualifier"].Success ? match.Groups["qualifier"].Value : null;
        if (derived is not null && queryQualifier is not null && derived != queryQualifier)
        {
            throw new InvokeError(400, "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.");
        }
        var region = match.Groups["region"].Success ? match.Groups["region"].Value.TrimEnd(':') : null;
        var account = match.Groups["account"].Success ? match.Groups["account"].Value.TrimEnd(':') : null;
        return new InvokeTarget(name, derived ?? queryQualifier, region, account);
    }

    [GeneratedRegex(@"^(?<arn>arn:(aws[a-zA-Z-]*)?:lambda:)?(?<region>[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-[0-9]:)?(?<account>[0-9]{12}:)?(?<function>function:)?(?<name>[a-zA-Z0-9_.-]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9_-]+))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRule();

    [GeneratedRegex(@"^[a-zA-Z0-9$_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifierRule();
}
