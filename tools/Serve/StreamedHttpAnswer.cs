using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Functions.Http;
using Functions.Tools.ApiGateway;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.Serve;

/// <summary>
/// A function URL in RESPONSE_STREAM mode answered as Lambda answers it: the prelude's status, headers and cookies
/// (application/vnd.awslambda.http-integration-response: JSON, then eight NUL bytes), then the body passed on to the
/// client as the function writes it, chunked. Through the invocation's sink (a 64 KB pipe) a client that reads slowly
/// slows the function rather than growing serve. A function that fails mid-stream has its response cut off, as Lambda
/// cuts it; one that answers without streaming is mapped as any buffered answer.
/// </summary>
internal static class StreamedHttpAnswer
{
    /// <summary>The most a prelude may be before its delimiter (API Gateway's limit for the same format).</summary>
    private const int MaxPreludeBytes = 16 * 1024;

    /// <param name="cors">The URL's CORS and the request it answers, applied to the prelude's headers; null: none.</param>
    /// <returns>The status the client got, and whether the instance was cold or warm.</returns>
    public static async Task<(int Status, string Temperature)> WriteAsync(
        HttpContext http, FunctionPool pool, ReadOnlyMemory<byte> payload, string requestId, CallerContext caller, ServeLog log, (CorsPolicy Policy, GatewayRequest Request)? cors = null)
    {
        var sink = new ResponseSink();
        var invoking = pool.InvokeAsync(payload, CancellationToken.None, caller with { Sink = sink });
        if (!await sink.StreamsAsync(invoking).ConfigureAwait(false))
        {
            return await BufferedAsync(http, invoking, requestId, pool, log, cors).ConfigureAwait(false);
        }
        var status = 200;
        var reader = sink.Reader;
        try
        {
            var contentType = sink.Started.Result;
            if (contentType == HttpResponseStreaming.ContentType)
            {
                status = await ApplyPreludeAsync(reader, http.Response, http.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                http.Response.ContentType = contentType;
            }
            http.Response.Headers["x-amzn-RequestId"] = requestId;
            cors?.Policy.ApplyTo(cors.Value.Request, http.Response.Headers);
            await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
            await CopyAsync(reader, http.Response.BodyWriter, http.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidFunctionResponseException e) when (!http.Response.HasStarted)
        {
            log.Error(pool.Name, $"Invalid streamed response from the function: {e.Message}");
            status = 500;
            await WithCors(GatewayErrors.InternalServerError(requestId), cors).WriteToAsync(http.Response, http.RequestAborted).ConfigureAwait(false);
        }
        // The function was stopped mid-stream (its outcome says why), or the client went away (the rest is drained).
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        var report = await invoking.ConfigureAwait(false);
        if (!report.Outcome.IsSuccess && http.Response.HasStarted)
        {
            log.Error(pool.Name, $"The function failed mid-stream ({report.Outcome.ErrorType}): the response is cut off, as Lambda cuts it.");
            http.Abort();
        }
        return (status, report.Cold ? "cold" : "warm");
    }

    /// <summary>The function answered without streaming (or never ran): its answer mapped as a buffered URL maps it.</summary>
    private static async Task<(int, string)> BufferedAsync(HttpContext http, Task<InvocationReport> invoking, string requestId, FunctionPool pool, ServeLog log, (CorsPolicy Policy, GatewayRequest Request)? cors)
    {
        GatewayResponse response;
        var temperature = "-";
        try
        {
            var report = await invoking.ConfigureAwait(false);
            temperature = report.Cold ? "cold" : "warm";
            response = LocalApi.Answer(report, requestId, pool, log);
        }
        catch (InstanceStartException e)
        {
            log.Error(pool.Name, e.Message);
            response = GatewayErrors.InternalServerError(requestId);
        }
        response = WithCors(response, cors);
        await response.WriteToAsync(http.Response, http.RequestAborted).ConfigureAwait(false);
        return (response.StatusCode, temperature);
    }

    private static GatewayResponse WithCors(GatewayResponse response, (CorsPolicy Policy, GatewayRequest Request)? cors) =>
        cors is var (policy, request) ? policy.Apply(request, response) : response;

    /// <summary>Reads the prelude up to its eight NUL bytes and sets the response's status, headers and cookies from it.</summary>
    private static async Task<int> ApplyPreludeAsync(PipeReader reader, HttpResponse response, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var bytes = buffer.Length > MaxPreludeBytes + HttpResponseStreaming.DelimiterLength ? buffer.Slice(0, MaxPreludeBytes + HttpResponseStreaming.DelimiterLength) : buffer;
            var flat = bytes.ToArray();
            var end = flat.AsSpan().IndexOf(new byte[HttpResponseStreaming.DelimiterLength]);
            if (end >= 0)
            {
                var status = Apply(flat.AsSpan(0, end), response);
                reader.AdvanceTo(buffer.GetPosition(end + HttpResponseStreaming.DelimiterLength));
                return status;
            }
            if (read.IsCompleted || buffer.Length > MaxPreludeBytes + HttpResponseStreaming.DelimiterLength)
            {
                throw new InvalidFunctionResponseException($"the stream has no prelude ending in {HttpResponseStreaming.DelimiterLength} NUL bytes within its first {MaxPreludeBytes} bytes");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static int Apply(ReadOnlySpan<byte> json, HttpResponse response)
    {
        var prelude = StreamPrelude.Parse(json);
        response.StatusCode = prelude.StatusCode;
        foreach (var (name, value) in prelude.Headers)
        {
            response.Headers[name] = value;
        }
        if (prelude.Cookies.Count > 0)
        {
            response.Headers.SetCookie = prelude.Cookies.ToArray();
        }
        return prelude.StatusCode;
    }

    private static async Task CopyAsync(PipeReader from, PipeWriter to, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await from.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var segment in read.Buffer)
            {
                await to.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }
            from.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }
}
