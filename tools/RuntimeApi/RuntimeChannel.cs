using System.Diagnostics;
using System.Threading.Channels;
using Functions.Runtime;

namespace Functions.Tools.RuntimeApi;

/// <summary>
/// The events of one path prefix of the emulator (one function instance, or the bare path): a queue /next reads from,
/// and what the instance reported about its initialization.
/// </summary>
public sealed class RuntimeChannel
{
    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly TaskCompletionSource<DateTimeOffset> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<InvocationOutcome> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RuntimeChannel(string name) => Name = name;

    public string Name { get; }

    /// <summary>When the instance first asked for an event: the end of its init phase.</summary>
    public Task<DateTimeOffset> FirstNext => _firstNext.Task;

    /// <summary>The first /next's arrival as a Stopwatch timestamp, once it came.</summary>
    public long FirstNextTimestamp { get; private set; }

    /// <summary>What the function said about its init with its first /next (our runtime says it; others need not).</summary>
    public StartupTimes? Startup { get; private set; }

    /// <summary>Completes when the instance reported /runtime/init/error.</summary>
    public Task<InvocationOutcome> InitError => _initError.Task;

    public void Enqueue(PendingInvocation invocation)
    {
        if (!_queue.Writer.TryWrite(invocation))
        {
            throw new InvalidOperationException($"The channel {Name} is closed.");
        }
    }

    /// <summary>An event already queued, without waiting; false when there is none.</summary>
    internal bool TryNext(DateTimeOffset now, StartupTimes? startup, out PendingInvocation invocation)
    {
        NoteAsking(now, startup);
        // An event whose caller gave up (timed out before dispatch) is not handed out.
        while (_queue.Reader.TryRead(out invocation!))
        {
            if (!invocation.IsCompleted)
            {
                return true;
            }
        }
        return false;
    }

    internal async ValueTask<PendingInvocation> NextAsync(DateTimeOffset now, StartupTimes? startup, CancellationToken cancellationToken)
    {
        NoteAsking(now, startup);
        while (true)
        {
            var invocation = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!invocation.IsCompleted)
            {
                return invocation;
            }
        }
    }

    private void NoteAsking(DateTimeOffset now, StartupTimes? startup)
    {
        if (!_firstNext.Task.IsCompleted)
        {
            FirstNextTimestamp = Stopwatch.GetTimestamp();
            Startup = startup;
            _firstNext.TrySetResult(now);
        }
    }

    internal void ReportInitError(InvocationOutcome outcome) => _initError.TrySetResult(outcome);
}
