using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Functions.Tools.Instances;
using Functions.Tools.RuntimeApi;
using Functions.Tools.Scheduling;
using Microsoft.AspNetCore.Http;

namespace Functions.Tools.Invoke;

/// <summary>
/// InvokeWithResponseStream's answer: 200 with the function's stream content type, then an event stream of
/// PayloadChunk events as the function writes (a function that answers without streaming: its whole answer as one) and
/// one InvokeComplete, whose ErrorCode and ErrorDetails are the error type and message of a failed invocation (also one
/// that failed mid-stream: what came before it stays with the caller) and LogResult the log's tail when asked for.
/// </summary>
internal static class StreamingInvocation
{
    public const string PayloadChunk = "PayloadChunk";
    public const string InvokeComplete = "InvokeComplete";

    public static async Task<InvocationReport> RunAsync(HttpContext http, FunctionPool pool, ReadOnlyMemory<byte> payload, CallerContext caller)
    {
        var sink = new ResponseSink();
        var invoking = pool.InvokeAsync(payload, CancellationToken.None, caller with { Sink = sink });
        var streamed = await sink.StreamsAsync(invoking).ConfigureAwait(false);
        if (!streamed && invoking.IsFaulted)
        {
            return await invoking.ConfigureAwait(false); // No instance could run it: answered as Invoke answers that.
        }
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = streamed ? sink.Started.Result : "application/octet-stream";
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        response.Headers["X-Amz-Executed-Version"] = "$LATEST";
        if (streamed)
        {
            await PassOnAsync(sink.Reader, response.BodyWriter, http.RequestAborted).ConfigureAwait(false);
        }
        var report = await invoking.ConfigureAwait(false);
        var outcome = report.Outcome;
        if (!streamed && outcome.IsSuccess && outcome.Payload.Length > 0)
        {
            await WriteAsync(response.BodyWriter, EventStreamFrames.Event(PayloadChunk, "application/octet-stream", outcome.Payload), http.RequestAborted).ConfigureAwait(false);
        }
        await WriteAsync(response.BodyWriter, EventStreamFrames.Event(InvokeComplete, "application/json", Completion(outcome, caller.Tail)), http.RequestAborted).ConfigureAwait(false);
        return report;
    }

    /// <summary>Each read of the function's stream as one PayloadChunk, until it ends, breaks, or the caller leaves.</summary>
    private static async Task PassOnAsync(PipeReader stream, PipeWriter caller, CancellationToken callerLeft)
    {
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(callerLeft).ConfigureAwait(false);
                if (!read.Buffer.IsEmpty)
                {
                    await WriteAsync(caller, EventStreamFrames.Event(PayloadChunk, "application/octet-stream", read.Buffer.ToArray()), callerLeft).ConfigureAwait(false);
                }
                stream.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        // The function was stopped mid-stream (the outcome says why), or the caller went away (the rest is drained).
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
        finally
        {
            await stream.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(PipeWriter caller, byte[] frame, CancellationToken callerLeft)
    {
        if (!callerLeft.IsCancellationRequested)
        {
            await caller.WriteAsync(frame, callerLeft).ConfigureAwait(false);
        }
    }

    private static byte[] Completion(InvocationOutcome outcome, LogTail? tail)
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            if (!outcome.IsSuccess)
            {
                json.WriteString("ErrorCode", outcome.ErrorType ?? "Unhandled");
                json.WriteString("ErrorDetails", ErrorMessage(outcome.Payload));
            }
            if (tail is not null)
            {
                json.WriteString("LogResult", tail.ToBase64());
            }
            json.WriteEndObject();
        }
        return body.ToArray();
    }

    /// <summary>The report's errorMessage, or the error body as text when it has none.</summary>
    private static string ErrorMessage(byte[] report)
    {
        try
        {
            using var parsed = JsonDocument.Parse(report);
            if (parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("errorMessage", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        return System.Text.Encoding.UTF8.GetString(report);
    }
}
