namespace Functions.Runtime;

/// <summary>Turns one event payload into one response payload. Throwing reports an invocation error.</summary>
public interface IInvocationHandler
{
    Task<byte[]> HandleAsync(byte[] payload, InvocationContext context);
}
