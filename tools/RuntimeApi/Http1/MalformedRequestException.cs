namespace Functions.Tools.RuntimeApi.Http1;

/// <summary>
/// A request the server cannot read: its head (answered with <see cref="Status"/>, then the connection closes) or its
/// body's framing (the connection is unusable past it). An <see cref="IOException"/>, as a broken connection is.
/// </summary>
public sealed class MalformedRequestException(int status, string message) : IOException(message)
{
    public int Status { get; } = status;
}
