using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Functions.Json;

namespace Functions.Runtime;

/// <summary>HTTP client of the Lambda Runtime API 2018-06-01 (no code from other runtimes: written from the spec).</summary>
public sealed class RuntimeApiClient : IRuntimeApiClient, IDisposable
{
    private const string ApiVersion = "2018-06-01";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;

    public RuntimeApiClient(string hostAndPort)
    {
        _http = new HttpClient(CreateHandler())
        {
            BaseAddress = new Uri($"http://{hostAndPort}/{ApiVersion}/"),
            // /next blocks until an event arrives, for as long as the environment is frozen: never time it out.
            Timeout = Timeout.InfiniteTimeSpan,
            // Events and responses are up to 6 MB; the default 2 GB buffer limit is no constraint.
        };
    }

    /// <summary>
    /// The handler's connections turn Nagle off (a request never waits on our side) and ACK what they receive at once
    /// (see <see cref="QuickAckStream"/>), so a response never waits on the server's side either.
    /// </summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, cancellationToken),
    };

    /// <summary>A connection to the Runtime API with Nagle off and quick ACKs on (see <see cref="CreateHandler"/>).</summary>
    public static async ValueTask<Stream> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new QuickAckStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", cancellationToken).ConfigureAwait(false);
        await EnsureAcceptedAsync(response, "GET /runtime/invocation/next", cancellationToken).ConfigureAwait(false);
        var headers = response.Headers;
        var requestId = Header(headers, RuntimeApiHeaders.RequestId)
            ?? throw new RuntimeApiException(500, $"The Runtime API sent an event without {RuntimeApiHeaders.RequestId}.");
        var deadline = long.TryParse(Header(headers, RuntimeApiHeaders.DeadlineMs), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MaxValue;
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new Invocation(
            requestId,
            deadline,
            Header(headers, RuntimeApiHeaders.InvokedFunctionArn),
            Header(headers, RuntimeApiHeaders.TraceId),
            Header(headers, RuntimeApiHeaders.ClientContext),
            Header(headers, RuntimeApiHeaders.CognitoIdentity),
            payload);
    }

    public async Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(payload);
        content.Headers.ContentType = JsonContentType;
        await PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken).ConfigureAwait(false);
    }

    public Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    public Task ReportInitializationErrorAsync(Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync("runtime/init/error", error, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task PostErrorAsync(string path, Exception error, CancellationToken cancellationToken)
    {
        var report = ErrorReport.From(error);
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(report, FunctionsJson.Wire.ErrorReport));
        content.Headers.ContentType = JsonContentType;
        await PostAsync(path, content, cancellationToken, errorType: $"Runtime.{report.ErrorType}").ConfigureAwait(false);
    }

    private async Task PostAsync(string path, HttpContent content, CancellationToken cancellationToken, string? errorType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(RuntimeApiHeaders.FunctionErrorType, errorType);
        }
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureAcceptedAsync(response, $"POST /{path}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new RuntimeApiException((int)response.StatusCode, $"{call} answered {(int)response.StatusCode}: {body}");
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// A connection that ACKs every segment it receives at once (TCP_QUICKACK before each read; Linux clears the flag
/// whenever it likes, so once is not enough). A server that writes a response as two sends, headers then body, with
/// Nagle on (Python's http.server does) holds the body until the headers are ACKed; Linux delays the ACK of a
/// request/response connection by up to 40 ms, waiting for data to carry it, and the client has none to send until it
/// has the body. Measured against such a server: 88.7 ms per warm invocation at p50, each /next and each /response
/// stalled ~40 ms; with quick ACKs, 0.7 ms (tests/load/runtime-two-send.sh). Lambda's own server happens not to split its writes, but a client
/// should not depend on it.
/// </summary>
internal sealed class QuickAckStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
{
    /// <summary>TCP_QUICKACK from linux/tcp.h; Lambda runs on Linux, and elsewhere the delay does not arise the same way.</summary>
    private const int TcpQuickAck = 12;

    private static readonly byte[] On = BitConverter.GetBytes(1);

    public override int Read(byte[] buffer, int offset, int count)
    {
        QuickAck();
        return base.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        QuickAck();
        return base.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        QuickAck();
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        QuickAck();
        return base.ReadAsync(buffer, cancellationToken);
    }

    private void QuickAck()
    {
        if (OperatingSystem.IsLinux())
        {
            Socket.SetRawSocketOption((int)ProtocolType.Tcp, TcpQuickAck, On);
        }
    }
}
