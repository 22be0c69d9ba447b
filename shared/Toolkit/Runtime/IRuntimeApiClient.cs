namespace Functions.Runtime;

/// <summary>The Lambda Runtime API 2018-06-01, as a function sees it.</summary>
public interface IRuntimeApiClient
{
    Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken);
    Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
    /// <summary>A response sent as it is written (response mode "streaming"); nothing goes out before the first write.</summary>
    ResponseStream OpenResponseStream(string requestId, string contentType, CancellationToken cancellationToken);

    /// <summary>Ends a streamed response: whole, or with <paramref name="error"/> in its trailers.</summary>
    Task CompleteResponseStreamAsync(ResponseStream stream, Exception? error);

    Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken);
    Task ReportInitializationErrorAsync(Exception error, CancellationToken cancellationToken);

    /// <summary>Where the init went, sent with the next /next (see <see cref="RuntimeApiHeaders.Startup"/>).</summary>
    void NoteStartup(StartupTimes startup);
}
