using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Functions.Tools.DynamoDb;

/// <summary>One key attribute of a table: its name and scalar type (S, N or B).</summary>
public sealed record TableKey(string Name, ScalarAttributeType Type);

/// <summary>Creates tables on a local DynamoDB-compatible endpoint (dynalite) when they do not exist yet.</summary>
public sealed class TableProvisioner : IDisposable
{
    /// <summary>A local endpoint still signs requests: any region will do, this one is the SDKs' default.</summary>
    public const string LocalRegion = "us-east-1";

    /// <summary>dynalite keeps a new table CREATING for half a second by default; this is a generous bound on that.</summary>
    public static readonly TimeSpan ActiveTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly AmazonDynamoDBClient _dynamo;

    public TableProvisioner(string endpoint) => _dynamo = CreateClient(endpoint);

    /// <summary>A low-level client of a local endpoint, with dummy credentials: dynalite accepts any signature.</summary>
    public static AmazonDynamoDBClient CreateClient(string endpoint) => new(
        new BasicAWSCredentials("local", "local"),
        new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = LocalRegion });

    /// <summary>Creates the table (on-demand capacity) unless it exists, then waits until it is ACTIVE.</summary>
    /// <returns>True when this call created the table.</returns>
    public async Task<bool> EnsureTableAsync(
        string tableName, TableKey hashKey, TableKey? rangeKey = null, CancellationToken cancellationToken = default)
    {
        var created = false;
        if (await StatusAsync(tableName, cancellationToken).ConfigureAwait(false) is null)
        {
            created = await CreateAsync(tableName, hashKey, rangeKey, cancellationToken).ConfigureAwait(false);
        }
        await WaitUntilActiveAsync(tableName, cancellationToken).ConfigureAwait(false);
        return created;
    }

    public void Dispose() => _dynamo.Dispose();

    private async Task<bool> CreateAsync(string tableName, TableKey hashKey, TableKey? rangeKey, CancellationToken cancellationToken)
    {
        var keys = rangeKey is null ? new[] { hashKey } : [hashKey, rangeKey];
        var request = new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = keys.Select(k => new AttributeDefinition(k.Name, k.Type)).ToList(),
            KeySchema = keys.Select((k, i) => new KeySchemaElement(k.Name, i == 0 ? KeyType.HASH : KeyType.RANGE)).ToList(),
        };
        try
        {
            await _dynamo.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        // Someone else created it since we looked: that is the state we wanted.
        catch (ResourceInUseException)
        {
            return false;
        }
    }

    private async Task WaitUntilActiveAsync(string tableName, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ActiveTimeout);
        try
        {
            while (await StatusAsync(tableName, timeout.Token).ConfigureAwait(false) != TableStatus.ACTIVE)
            {
                await Task.Delay(PollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The table {tableName} did not become ACTIVE within {ActiveTimeout.TotalSeconds:0} s.");
        }
    }

    private async Task<TableStatus?> StatusAsync(string tableName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _dynamo.DescribeTableAsync(tableName, cancellationToken).ConfigureAwait(false);
            return response.Table.TableStatus;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }
}
