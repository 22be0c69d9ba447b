using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Functions.Runtime;
using Functions.Runtime.Connection;

namespace Functions.DynamoDb;

/// <summary>
/// DynamoDB's JSON protocol over one HttpClient: each call a signed POST of its request with X-Amz-Target naming the
/// operation. Throttling, a failure on DynamoDB's side and a connection that could not be made are tried again, up to
/// <see cref="MaxAttempts"/> in all with jittered exponential backoff (the SDKs' standard retry mode); anything else
/// is a <see cref="DynamoDbException"/> at once, a failed condition a <see cref="ConditionalCheckFailedException"/>, a
/// cancelled transaction a <see cref="TransactionCanceledException"/> with its reasons.
/// </summary>
public sealed class DynamoDbClient : IDisposable, IFunctionService<DynamoDbClient>
{
    public const int MaxAttempts = 3;

    /// <summary>How long init may spend priming the client: a DynamoDB this slow to answer is not waited for.</summary>
    private static readonly TimeSpan PrimeLimit = TimeSpan.FromSeconds(1);

    private const string Service = "dynamodb";
    private const string TargetPrefix = "DynamoDB_20120810.";
    private static readonly MediaTypeHeaderValue JsonProtocol = new("application/x-amz-json-1.0");
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _region;
    private readonly AwsCredentials _credentials;
    private readonly TimeProvider _clock;

    public DynamoDbClient(Uri endpoint, string region, AwsCredentials credentials, HttpMessageHandler? handler = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint;
        _region = region;
        _credentials = credentials;
        _clock = clock ?? TimeProvider.System;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            // One request at a time per instance: Nagle would hold the small request bodies back (the Runtime API
            // client's reasoning, and its connect).
            ConnectCallback = (context, cancellationToken) => TcpConnections.ConnectAsync(context.DnsEndPoint, cancellationToken),
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// The client a function builds at start-up: AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL (as the SDKs rank
    /// them), else the regional endpoint of AWS_REGION; credentials from the environment.
    /// </summary>
    public static DynamoDbClient FromEnvironment(LambdaEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var region = environment.Get(LambdaEnvironment.Region) ?? "us-east-1";
        var endpoint = environment.Get(LambdaEnvironment.DynamoDbEndpoint) ?? environment.Get(LambdaEnvironment.Endpoint)
            ?? $"https://dynamodb.{region}.amazonaws.com";
        return new DynamoDbClient(new Uri(endpoint), region, AwsCredentials.FromEnvironment(environment));
    }

    /// <summary>The client a function builds at start-up from its environment, primed (see <see cref="Prime"/>).</summary>
    public static DynamoDbClient Primed(LambdaEnvironment environment)
    {
        var client = FromEnvironment(environment);
        client.Prime(PrimeLimit);
        return client;
    }

    /// <summary>What a handler's generated program calls once at init when the handler takes a DynamoDbClient.</summary>
    public static DynamoDbClient Create(FunctionStartup startup)
    {
        ArgumentNullException.ThrowIfNull(startup);
        return Primed(startup.Environment);
    }

    public Task PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("PutItem", request, DynamoDbJson.Default.PutItemRequest, DynamoDbJson.Default.EmptyResponse, cancellationToken);

    public Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("GetItem", request, DynamoDbJson.Default.GetItemRequest, DynamoDbJson.Default.GetItemResponse, cancellationToken);

    public Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("Scan", request, DynamoDbJson.Default.ScanRequest, DynamoDbJson.Default.ScanResponse, cancellationToken);

    public Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("UpdateItem", request, DynamoDbJson.Default.UpdateItemRequest, DynamoDbJson.Default.UpdateItemResponse, cancellationToken);

    public Task DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteItem", request, DynamoDbJson.Default.DeleteItemRequest, DynamoDbJson.Default.EmptyResponse, cancellationToken);

    public Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("Query", request, DynamoDbJson.Default.QueryRequest, DynamoDbJson.Default.QueryResponse, cancellationToken);

    public Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("BatchGetItem", request, DynamoDbJson.Default.BatchGetItemRequest, DynamoDbJson.Default.BatchGetItemResponse, cancellationToken);

    public Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("BatchWriteItem", request, DynamoDbJson.Default.BatchWriteItemRequest, DynamoDbJson.Default.BatchWriteItemResponse, cancellationToken);

    public Task TransactWriteItemsAsync(TransactWriteItemsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("TransactWriteItems", request, DynamoDbJson.Default.TransactWriteItemsRequest, DynamoDbJson.Default.EmptyResponse, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(operation, body, responseType, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsRetryable(e) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Backoff(attempt), _clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Connects and runs one signed request through the whole HTTP path at init, answer ignored, so the first
    /// invocation finds the connection open (on Lambda: its TLS handshake done) and the code run once. Lambda gives init
    /// the full CPU and an invocation only its memory size's share (14.5 % of a vCPU at 256 MB): the same first-use
    /// work costs several times as long in the first invocation. Nothing it meets is an error: a DynamoDB that cannot
    /// be reached now is the first real call's business, with its retries.
    /// </summary>
    public void Prime(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            // DescribeEndpoints needs no permission and reads nothing; any answer will do, a 400 included.
            using var message = Request("DescribeEndpoints", "{}"u8.ToArray());
            using var response = _http.SendAsync(message, timeout.Token).GetAwaiter().GetResult();
            _ = response.Content.ReadAsByteArrayAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // Not reachable within the limit: the first call connects, as it would have without this.
        }
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(string operation, byte[] body, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var message = Request(operation, body);
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return JsonSerializer.Deserialize(answer, responseType)
                ?? throw new DynamoDbException("InvalidResponse", "DynamoDB answered null.", (int)response.StatusCode);
        }
        throw ErrorOf(answer, (int)response.StatusCode);
    }

    /// <summary>The signed POST of one operation.</summary>
    private HttpRequestMessage Request(string operation, byte[] body)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = JsonProtocol;
        message.Headers.Add("X-Amz-Target", TargetPrefix + operation);
        var signed = new KeyValuePair<string, string>[]
        {
            new("host", _endpoint.Authority),
            new("content-type", JsonProtocol.MediaType!),
            new("x-amz-target", TargetPrefix + operation),
        };
        foreach (var (name, value) in SigV4.Sign("POST", _endpoint.AbsolutePath, signed, body, _credentials, _region, Service, _clock.GetUtcNow()))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    private static DynamoDbException ErrorOf(byte[] answer, int status)
    {
        ErrorResponse? error = null;
        try
        {
            error = JsonSerializer.Deserialize(answer, DynamoDbJson.Default.ErrorResponse);
        }
        catch (JsonException)
        {
            // Not DynamoDB's JSON (a proxy's page, a load balancer's 503): the status says enough.
        }
        var type = error?.Type is { } full ? full[(full.LastIndexOf('#') + 1)..] : $"Http{status}";
        var text = error?.Message ?? error?.CapitalisedMessage ?? "(no message)";
        return type switch
        {
            ConditionalCheckFailedException.Name => new ConditionalCheckFailedException(text, status),
            TransactionCanceledException.Name => new TransactionCanceledException(text, status, error?.CancellationReasons ?? []),
            _ => new DynamoDbException(type, text, status),
        };
    }

    /// <summary>Throttled or failed on DynamoDB's side, or no connection at all (refused, reset: no answer came).</summary>
    private static bool IsRetryable(Exception e) =>
        e is DynamoDbException { IsRetryable: true } or HttpRequestException { StatusCode: null };

    /// <summary>Full jitter: a random wait up to base x 2^(attempt-1), capped.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
