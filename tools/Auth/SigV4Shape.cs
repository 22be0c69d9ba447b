using Microsoft.AspNetCore.Http;

namespace Functions.Tools.Auth;

/// <summary>What is wrong with a request's SigV4 signature as far as serve can tell, which takes any credentials.</summary>
internal enum SigV4Fault
{
    None,

    /// <summary>No Authorization header of the AWS4-HMAC-SHA256 algorithm.</summary>
    Missing,

    /// <summary>The header lacks a part of a signature, or the request its date.</summary>
    Incomplete,
}

/// <summary>
/// Whether a request carries what a SigV4 signature is made of: the Authorization header's algorithm, Credential,
/// SignedHeaders and Signature, and the date it signs. serve takes any credentials (it cannot know a caller's secret),
/// so the shape is all there is to check; it is also what no web page can send to another origin without a preflight.
/// </summary>
internal static class SigV4Shape
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <returns>The fault, and for an incomplete signature what it lacks, in AWS's words.</returns>
    public static (SigV4Fault Fault, string? Detail) Check(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return (SigV4Fault.Missing, null);
        }
        var missing = new[] { "Credential=", "SignedHeaders=", "Signature=" }.Where(p => !authorization.Contains(p, StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            return (SigV4Fault.Incomplete, $"Authorization header requires {string.Join(", ", missing.Select(p => $"'{p.TrimEnd('=')}'"))} parameter{(missing.Count == 1 ? "" : "s")}.");
        }
        if (headers["X-Amz-Date"].Count == 0 && headers.Date.Count == 0)
        {
            return (SigV4Fault.Incomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        return (SigV4Fault.None, null);
    }
}
