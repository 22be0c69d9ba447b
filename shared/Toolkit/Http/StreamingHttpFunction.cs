using System.Text;
using Functions.Runtime;

namespace Functions.Http;

public delegate Task StreamingHttpHandler(HttpApiRequest request, HttpResponseStream response, InvocationContext context);

/// <summary>
/// Adapts a streaming HTTP handler to the runtime loop: reads the payload 2.0 event (function URLs send the same
/// format), runs the handler with the response stream, and sends the prelude of a response nothing was written to.
/// A failure before the first byte is the same problem+json response a buffered handler's would be; after it, the
/// stream ends with the error, as Lambda ends it (the client has what came before).
/// </summary>
public sealed class StreamingHttpFunction(StreamingHttpHandler handler) : IInvocationHandler
{
    public async Task<byte[]> HandleAsync(byte[] payload, InvocationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = HttpFunction.ReadEvent(payload);
        var response = new HttpResponseStream(context);
        try
        {
            await handler(request, response, context).ConfigureAwait(false);
        }
        catch (Exception e) when (!response.HasStarted)
        {
            var problem = HttpFunction.Problem(e, context);
            response.StatusCode = problem.StatusCode;
            foreach (var (name, value) in problem.Headers ?? [])
            {
                response.Headers[name] = value;
            }
            await response.WriteAsync(Encoding.UTF8.GetBytes(problem.Body ?? ""), CancellationToken.None).ConfigureAwait(false);
        }
        response.Start();
        return [];
    }
}
