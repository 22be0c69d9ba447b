namespace Functions;

/// <summary>Who may call a function URL: callers that sign with SigV4 and hold lambda:InvokeFunctionUrl, or anyone.</summary>
public enum FunctionUrlAuth
{
    /// <summary>AWS_IAM: requests signed with SigV4 by a principal allowed to invoke the URL.</summary>
    AwsIam,

    /// <summary>NONE: anyone who has the URL; the function decides for itself who may do what.</summary>
    None,
}

/// <summary>How a function URL answers: the whole response at once (6 MB at most), or as the function writes it.</summary>
public enum FunctionUrlInvokeMode
{
    Buffered,

    /// <summary>RESPONSE_STREAM: the handler takes an HttpResponseStream and writes to it; up to 200 MB, the first bytes at once.</summary>
    ResponseStream,
}

/// <summary>
/// Gives the function a URL of its own (Lambda's function URL), beside an [HttpApi] route or alone: the CDK app makes
/// it with this auth type and invoke mode, and serve serves it. The arguments are literals: the CDK app reads them from
/// the source.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FunctionUrlAttribute : Attribute
{
    /// <summary>AwsIam unless set: an open URL is a choice to write down.</summary>
    public FunctionUrlAuth Auth { get; init; } = FunctionUrlAuth.AwsIam;

    public FunctionUrlInvokeMode InvokeMode { get; init; } = FunctionUrlInvokeMode.Buffered;
}
