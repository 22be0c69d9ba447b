using System.Collections.Concurrent;
using System.Net;
using Functions.DynamoDb;
using Functions.Tools.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Functions.Tests.Dynamo;

/// <summary>
/// Our DynamoDB client on the wire: what it sends (against a real loopback server playing DynamoDB), which failures
/// it tries again and which it does not, and what a refused condition becomes. Its calls on a real table are the
/// store's tests (tests/Functions.Tests/Data), on dynalite.
/// </summary>
public sealed class DynamoDbClientTests
{
    private static readonly AwsCredentials Local = new("local", "secret", "session");

    [Fact]
    public async Task A_call_is_a_signed_POST_naming_its_operation()
    {
        // Arrange
        await using var dynamo = await FakeDynamoDb.StartAsync((_, _) => (200, """{"Item":{"id":{"S":"a"},"n":{"N":"1.50"}}}"""));
        using var client = new DynamoDbClient(dynamo.Address, "eu-west-1", Local);

        // Act
        var response = await client.GetItemAsync(new GetItemRequest { TableName = "items", Key = new() { ["id"] = new AttributeValue { S = "a" } }, ConsistentRead = true });

        // Assert
        var request = Assert.Single(dynamo.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("DynamoDB_20120810.GetItem", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.0", request.Headers["Content-Type"]);
        Assert.Equal("session", request.Headers["X-Amz-Security-Token"]);
        Assert.Matches("^AWS4-HMAC-SHA256 Credential=local/[0-9]{8}/eu-west-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$", request.Headers["Authorization"]);
        Assert.Equal("""{"TableName":"items","Key":{"id":{"S":"a"}},"ConsistentRead":true}""", request.Body);
        Assert.Equal("1.50", response.Item!["n"].N);
    }

    [Theory]
    [InlineData(500, "com.amazonaws.dynamodb.v20120810#InternalServerError")]
    [InlineData(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException")]
    [InlineData(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException")]
    public async Task Throttling_and_server_failures_are_tried_again(int status, string type)
    {
        // Arrange: fails once, then answers.
        var calls = 0;
        await using var dynamo = await FakeDynamoDb.StartAsync((_, _) =>
            Interlocked.Increment(ref calls) == 1 ? (status, $$"""{"__type":"{{type}}","message":"slow down"}""") : (200, "{}"));
        using var client = new DynamoDbClient(dynamo.Address, "us-east-1", Local);

        // Act
        await client.PutItemAsync(new PutItemRequest { TableName = "items", Item = new() { ["id"] = new AttributeValue { S = "a" } } });

        // Assert
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_failed_condition_is_not_tried_again_and_says_so()
    {
        // Arrange
        await using var dynamo = await FakeDynamoDb.StartAsync((_, _) =>
            (400, """{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"""));
        using var client = new DynamoDbClient(dynamo.Address, "us-east-1", Local);

        // Act
        var error = await Assert.ThrowsAsync<ConditionalCheckFailedException>(
            () => client.DeleteItemAsync(new DeleteItemRequest { TableName = "items", Key = new() { ["id"] = new AttributeValue { S = "a" } }, ConditionExpression = "attribute_exists(id)" }));

        // Assert
        Assert.Single(dynamo.Requests);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("The conditional request failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_is_reported_at_once_with_its_type()
    {
        await using var dynamo = await FakeDynamoDb.StartAsync((_, _) =>
            (400, """{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"""));
        using var client = new DynamoDbClient(dynamo.Address, "us-east-1", Local);

        var error = await Assert.ThrowsAsync<DynamoDbException>(() => client.ScanAsync(new ScanRequest { TableName = "missing" }));

        Assert.Single(dynamo.Requests);
        Assert.Equal("ResourceNotFoundException", error.ErrorType);
    }

    [Fact]
    public async Task A_connection_that_cannot_be_made_is_tried_three_times_then_surfaces()
    {
        // Arrange: a port nothing listens on.
        var port = LoopbackPort.Free();
        using var client = new DynamoDbClient(new Uri($"http://127.0.0.1:{port}"), "us-east-1", Local);

        // Act
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.ScanAsync(new ScanRequest { TableName = "items" }));

        // Assert
        Assert.Null(error.StatusCode);
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task A_transaction_sends_its_actions_in_order_and_a_cancelled_one_says_why_for_each()
    {
        // Arrange: DynamoDB's answer when the second action's condition fails.
        await using var dynamo = await FakeDynamoDb.StartAsync((_, _) => (400, """
            {"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}
            """));
        using var client = new DynamoDbClient(dynamo.Address, "us-east-1", Local);
        var key = new Dictionary<string, AttributeValue> { ["id"] = new() { S = "a" } };

        // Act
        var error = await Assert.ThrowsAsync<TransactionCanceledException>(() => client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new PutItemRequest { TableName = "orders", Item = key } },
                new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = "stock", Key = key, ConditionExpression = "qty > :zero", ExpressionAttributeValues = new() { [":zero"] = new() { N = "0" } } } },
            ],
            ClientRequestToken = "order-a",
        }));

        // Assert
        var request = Assert.Single(dynamo.Requests); // A cancelled transaction is not tried again.
        Assert.Equal("DynamoDB_20120810.TransactWriteItems", request.Headers["X-Amz-Target"]);
        Assert.Equal("""{"TransactItems":[{"Put":{"TableName":"orders","Item":{"id":{"S":"a"}}}},{"ConditionCheck":{"TableName":"stock","Key":{"id":{"S":"a"}},"ConditionExpression":"qty \u003E :zero","ExpressionAttributeValues":{":zero":{"N":"0"}}}}],"ClientRequestToken":"order-a"}""", request.Body);
        Assert.Equal(["None", "ConditionalCheckFailed"], error.Reasons.Select(r => r.Code));
        Assert.Equal(400, error.StatusCode);
    }

    [Theory]
    [InlineData(400, "com.amazonaws.dynamodb.v20120810#TransactionInProgressException", 2)]
    [InlineData(503, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable", 2)]
    [InlineData(501, "com.amazonaws.dynamodb.v20120810#NotImplemented", 1)]
    public async Task Retries_follow_the_SDKs_standard_mode(int status, string type, int calls)
    {
        // Arrange: fails once, then answers.
        var made = 0;
        await using var dynamo = await FakeDynamoDb.StartAsync((_, _) =>
            Interlocked.Increment(ref made) == 1 ? (status, $$"""{"__type":"{{type}}","message":"no"}""") : (200, "{}"));
        using var client = new DynamoDbClient(dynamo.Address, "us-east-1", Local);

        // Act
        var call = client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [], ClientRequestToken = "t" });
        if (calls == 1)
        {
            await Assert.ThrowsAsync<DynamoDbException>(() => call);
        }
        else
        {
            await call;
        }

        // Assert
        Assert.Equal(calls, made);
    }

    /// <summary>A loopback HTTP server that records each request and answers what the test says.</summary>
    private sealed class FakeDynamoDb : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeDynamoDb(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;
        public ConcurrentQueue<Recorded> Requests { get; } = new();

        public static async Task<FakeDynamoDb> StartAsync(Func<string, string, (int Status, string Body)> answer)
        {
            var app = LoopbackWebApp.Create(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var fake = new FakeDynamoDb(app);
            app.Run(async http =>
            {
                using var reader = new StreamReader(http.Request.Body);
                var body = await reader.ReadToEndAsync();
                var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                fake.Requests.Enqueue(new Recorded(http.Request.Method, headers, body));
                var (status, text) = answer(headers.GetValueOrDefault("X-Amz-Target", ""), body);
                http.Response.StatusCode = status;
                http.Response.ContentType = "application/x-amz-json-1.0";
                await http.Response.WriteAsync(text);
            });
            await app.StartAsync();
            fake.Address = app.ListeningAddress();
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record Recorded(string Method, Dictionary<string, string> Headers, string Body);
}
