namespace Functions.Tools.ApiGateway;

/// <summary>
/// What a function URL with auth type AWS_IAM tells the function about its caller (requestContext.authorizer.iam).
/// serve takes any credentials, so the access key the signature names is all it knows; the account is the local one
/// (<see cref="EventBuilder.AccountId"/>) and the key stands in for the caller's and user's ids.
/// </summary>
public sealed record IamContext(string AccessKey)
{
    /// <summary>The access key of "AWS4-HMAC-SHA256 Credential=KEY/date/region/service/aws4_request, ..."; null without one.</summary>
    public static IamContext? FromAuthorization(string? authorization)
    {
        const string Credential = "Credential=";
        var start = authorization?.IndexOf(Credential, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return null;
        }
        var key = authorization![(start + Credential.Length)..].Split('/', ',', ' ')[0];
        return key.Length == 0 ? null : new IamContext(key);
    }
}
