using Functions.Runtime;

namespace Functions.DynamoDb;

/// <summary>
/// The keys requests are signed with. Lambda hands a function its role's temporary credentials in its environment
/// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); ./fn's emulator hands it dummy ones, which dynalite takes.
/// </summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public const string AccessKeyIdVariable = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY";
    public const string SessionTokenVariable = "AWS_SESSION_TOKEN";

    /// <exception cref="InvalidOperationException">The environment has no credentials: the function cannot sign.</exception>
    public static AwsCredentials FromEnvironment(LambdaEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new AwsCredentials(
            environment.Require(AccessKeyIdVariable),
            environment.Require(SecretAccessKeyVariable),
            environment.Get(SessionTokenVariable));
    }

    /// <summary>Never the secret: a record's generated ToString would print it into a log.</summary>
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
