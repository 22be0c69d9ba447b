using System.Text.Json;
using Functions.Errors;
using Functions.Json;
using Functions.Runtime;

namespace Functions.Http;

public delegate Task<HttpApiResponse> HttpHandler(HttpApiRequest request, InvocationContext context);

/// <summary>
/// Adapts an HTTP API handler to the runtime loop: reads the payload 2.0 event, runs the handler and turns
/// every failure into a problem+json response the client can use, without a stack trace.
/// </summary>
public sealed class HttpFunction(HttpHandler handler) : IInvocationHandler
{
    public async Task<byte[]> HandleAsync(byte[] payload, InvocationContext context)
    {
        var request = ReadEvent(payload);
        var response = await RespondAsync(request, context).ConfigureAwait(false);
        return HttpApiResponseWriter.Write(response);
    }

    /// <summary>
    /// The payload 2.0 event. One that is not is Lambda's invocation error (the caller is not API Gateway), reported in
    /// the toolkit's words: the serializer's own ("DeserializeUnableToConvertValue, ... Path: $") name its internals.
    /// </summary>
    internal static HttpApiRequest ReadEvent(byte[] payload)
    {
        const string Expected = "invoke it through the HTTP API, or with an event like those in events/";
        try
        {
            return HttpApiEventReader.Read(payload)
                ?? throw new JsonException($"The event is null, not an HTTP API payload 2.0 request: {Expected}.");
        }
        catch (JsonException e) when (e.Path is not null || e.LineNumber is not null)
        {
            throw new JsonException(
                $"The event is not an HTTP API payload 2.0 request (at {e.Path ?? "$"}, line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}): {Expected}.",
                e.Path, e.LineNumber, e.BytePositionInLine);
        }
    }

    private async Task<HttpApiResponse> RespondAsync(HttpApiRequest request, InvocationContext context)
    {
        try
        {
            return await handler(request, context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Problem(e, context);
        }
    }

    /// <summary>What the client is told of a handler's exception: its own problem, 503 to retry, or 500 (logged in full for us).</summary>
    internal static HttpApiResponse Problem(Exception error, InvocationContext context)
    {
        if (error is ApiError apiError)
        {
            return Results.Problem(apiError.Status, apiError.Message, context.RequestId, apiError.Errors);
        }
        // The deadline token fired (a DynamoDB call ran too long): answer 503 while there is still time to answer.
        if (context.CancellationToken.IsCancellationRequested && IsCancellation(error))
        {
            context.Logger.Warn($"Cut off {context.RemainingTime.TotalMilliseconds:0} ms before the deadline: {error.GetType().Name}");
            return Results.Problem(503, "The request could not be completed in time; retry it.", context.RequestId);
        }
        // A service the handler needs (its table) could not be reached, even after the SDK's retries: not a bug in the
        // request or in us, and over once the service is back, so 503 and "retry", as for a deadline.
        if (IsUnreachable(error))
        {
            context.Logger.Warn($"A service could not be reached: {error.Message}");
            return Results.Problem(503, "A service this API depends on could not be reached; retry it.", context.RequestId);
        }
        // Anything else is our bug: log it in full for us, tell the client only that it happened and which request it was.
        context.Logger.Error($"Unhandled exception: {error}");
        return Results.Problem(500, "An unexpected error occurred.", context.RequestId);
    }

    /// <summary>A connection that failed (refused, reset, no route), anywhere in the chain of causes: no HTTP answer came.</summary>
    private static bool IsUnreachable(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is System.Net.Sockets.SocketException or HttpRequestException { StatusCode: null, HttpRequestError: not HttpRequestError.Unknown })
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || e.InnerException is OperationCanceledException;
}
