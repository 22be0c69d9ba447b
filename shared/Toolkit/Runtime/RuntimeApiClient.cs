using System.Globalization;
using System.Text.Json;
using Functions.Json;
using Functions.Runtime.Connection;

namespace Functions.Runtime;

/// <summary>
/// Client of the Lambda Runtime API 2018-06-01 (no code from other runtimes: written from the spec), over one kept-alive
/// connection of its own (<see cref="RuntimeApiConnection"/> says why not HttpClient). Each call runs on the calling
/// thread and returns a completed task: the runtime has nothing else to do while it waits.
/// </summary>
public sealed class RuntimeApiClient : IRuntimeApiClient, IDisposable
{
    private const string Root = "/2018-06-01/runtime/";
    private const string NextPath = Root + "invocation/next";

    private readonly RuntimeApiConnection _connection;
    private StartupTimes? _startup;

    public RuntimeApiClient(string hostAndPort)
    {
        _connection = new RuntimeApiConnection(RuntimeApiAddress.Parse(hostAndPort));
    }

    /// <summary>Sent once, with the first /next: where the init went, for a local Runtime API to break it down.</summary>
    public void NoteStartup(StartupTimes startup) => _startup = startup;

    public Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        RuntimeApiResponse response;
        if (_connection.Pipelined is { } asked)
        {
            // Sent with the last answer: only its answer is left to read.
            response = Checked(asked, _connection.ReadPipelined(cancellationToken));
        }
        else
        {
            var request = Next;
            if (_startup is { } startup)
            {
                request = request with { Headers = [new(RuntimeApiHeaders.Startup, startup.ToHeader())] };
                _startup = null;
            }
            response = Send(request, cancellationToken);
        }
        var requestId = response.Header(RuntimeApiHeaders.RequestId)
            ?? throw new RuntimeApiException(500, $"The Runtime API sent an event without {RuntimeApiHeaders.RequestId}.");
        var deadline = long.TryParse(response.Header(RuntimeApiHeaders.DeadlineMs), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MaxValue;
        return Task.FromResult(new Invocation(
            requestId,
            deadline,
            response.Header(RuntimeApiHeaders.InvokedFunctionArn),
            response.Header(RuntimeApiHeaders.TraceId),
            response.Header(RuntimeApiHeaders.ClientContext),
            response.Header(RuntimeApiHeaders.CognitoIdentity),
            response.Body));
    }

    public Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        SendThenNext(new RuntimeApiRequest("POST", $"{Root}invocation/{Uri.EscapeDataString(requestId)}/response", payload), cancellationToken);
        return Task.CompletedTask;
    }

    public ResponseStream OpenResponseStream(string requestId, string contentType, CancellationToken cancellationToken) =>
        new(_connection, $"{Root}invocation/{Uri.EscapeDataString(requestId)}/response", contentType, cancellationToken);

    public Task CompleteResponseStreamAsync(ResponseStream stream, Exception? error)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var response = error is null ? stream.Complete() : stream.Fail(error);
        if (!response.IsSuccess)
        {
            throw new RuntimeApiException(response.Status, $"POST {stream.Path.Replace(Root, "/runtime/", StringComparison.Ordinal)} (streamed) answered {response.Status}: {System.Text.Encoding.UTF8.GetString(response.Body)}");
        }
        return Task.CompletedTask;
    }

    public Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken)
    {
        SendThenNext(ErrorRequest($"{Root}invocation/{Uri.EscapeDataString(requestId)}/error", error), cancellationToken);
        return Task.CompletedTask;
    }

    public Task ReportInitializationErrorAsync(Exception error, CancellationToken cancellationToken)
    {
        Send(ErrorRequest($"{Root}init/error", error), cancellationToken);
        return Task.CompletedTask;
    }

    public void Dispose() => _connection.Dispose();

    private static RuntimeApiRequest Next => new("GET", NextPath);

    private static RuntimeApiRequest ErrorRequest(string path, Exception error)
    {
        var report = ErrorReport.From(error);
        return new RuntimeApiRequest("POST", path, JsonSerializer.SerializeToUtf8Bytes(report, FunctionsJson.Wire.ErrorReport))
        {
            Headers = [new(RuntimeApiHeaders.FunctionErrorType, $"Runtime.{report.ErrorType}")],
        };
    }

    /// <summary>
    /// An invocation's answer, with the next /next sent behind it (the loop asks for it next anyway): one send for both,
    /// and the server has the question as soon as it has the answer.
    /// </summary>
    private void SendThenNext(RuntimeApiRequest answer, CancellationToken cancellationToken) =>
        Checked(answer, _connection.SendThen(answer, Next, cancellationToken));

    private RuntimeApiResponse Send(RuntimeApiRequest request, CancellationToken cancellationToken) =>
        Checked(request, _connection.Send(request, cancellationToken));

    private static RuntimeApiResponse Checked(RuntimeApiRequest request, RuntimeApiResponse response)
    {
        if (!response.IsSuccess)
        {
            throw new RuntimeApiException(response.Status, $"{request.Method} {request.Path.Replace(Root, "/runtime/", StringComparison.Ordinal)} answered {response.Status}: {System.Text.Encoding.UTF8.GetString(response.Body)}");
        }
        return response;
    }
}
