using System.IO.Pipelines;

namespace Functions.Tools.RuntimeApi;

/// <summary>
/// Where a streamed response goes while the function writes it, for a caller that passes it on as it comes
/// (InvokeWithResponseStream, a function URL in RESPONSE_STREAM mode): a pipe whose writer waits once 64 KB are unread,
/// so a slow reader slows the function (the Runtime API stops reading its socket, the function's send blocks) instead of
/// growing serve's memory. A function that answers without streaming never starts it; the invocation's outcome is then
/// the whole answer, as for any caller.
/// </summary>
public sealed class ResponseSink
{
    /// <summary>Unread bytes past which the function's writes wait.</summary>
    public const long PauseBytes = 64 * 1024;

    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: PauseBytes, resumeWriterThreshold: PauseBytes / 2, useSynchronizationContext: false));
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the stream's content type when the function begins a streamed response.</summary>
    public Task<string> Started => _started.Task;

    /// <summary>
    /// The body as the function writes it; it ends when the function's response does, and throws when the function was
    /// stopped mid-stream (its timeout, a crash): the invocation's outcome then says why. Complete it to stop reading.
    /// </summary>
    public PipeReader Reader => _pipe.Reader;

    internal PipeWriter Writer => _pipe.Writer;

    /// <summary>
    /// Waits until the function begins streaming or its <paramref name="invocation"/> ends; true when it streams. Not which
    /// came first: a short stream can be whole, and its invocation over, before its start is seen here.
    /// </summary>
    public async Task<bool> StreamsAsync(Task invocation)
    {
        await Task.WhenAny(Started, invocation).ConfigureAwait(false);
        return Started.IsCompleted;
    }

    internal bool TryStart(string contentType) => _started.TrySetResult(contentType);
}
