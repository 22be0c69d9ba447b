using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Functions.Tools.DynamoDb;
using Functions.Tools.Instances;

namespace Functions.Tools.Bench;

/// <summary>
/// Puts a function's fixture items (its bench.json) back before each benched invocation: a delete consumes its item
/// and an update changes it, so every invocation meets the state its sample event was written for. The put happens
/// outside the timed invocation.
/// </summary>
internal sealed class FixtureRestorer(string? dynamoDbEndpoint) : IDisposable
{
    private readonly AmazonDynamoDBClient? _dynamo = dynamoDbEndpoint is null ? null : TableProvisioner.CreateClient(dynamoDbEndpoint);

    public async Task RestoreAsync(FunctionBench bench, FunctionSpec spec, CancellationToken cancellationToken)
    {
        var function = bench.Function;
        foreach (var fixture in bench.Declaration.Fixtures)
        {
            var use = function.Declaration.Tables.First(t => t.Table == fixture.Table);
            if (_dynamo is null || !spec.Environment.TryGetValue(use.Variable, out var table))
            {
                throw new BenchException($"{fixture.File} has items for {fixture.Table}, but {function.Name} runs without that table here ({use.Variable} is not set).");
            }
            foreach (var item in fixture.Items)
            {
                try
                {
                    await _dynamo.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonDynamoDBException e)
                {
                    throw new BenchException($"{fixture.File}: an item for {fixture.Table} was refused by the local table ({e.Message}); fix the fixture.");
                }
            }
        }
    }

    public void Dispose() => _dynamo?.Dispose();
}
