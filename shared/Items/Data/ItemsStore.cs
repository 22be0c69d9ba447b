using System.Globalization;
using Functions.DynamoDb;
using Functions.Errors;
using Functions.Items;
using Functions.Runtime;
using static Functions.Data.ItemAttributes;

namespace Functions.Data;

/// <summary>
/// The items table on DynamoDB's low-level API. Every write is conditional in DynamoDB itself, so two clients
/// racing cannot both win: there is no read-then-write anywhere.
/// </summary>
public sealed class ItemsStore : IFunctionService<ItemsStore>
{
    private const string ItemExists = "attribute_exists(#id)";

    private readonly DynamoDbClient _dynamo;
    private readonly string _table;
    private readonly TimeProvider _clock;

    public ItemsStore(DynamoDbClient dynamo, string table, TimeProvider? clock = null)
    {
        _dynamo = dynamo;
        _table = table;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// The store a function builds at start-up, its client primed (see <see cref="DynamoDbClient.Prime"/>); without
    /// TABLE_NAME the function cannot start.
    /// </summary>
    public static ItemsStore Create(LambdaEnvironment environment)
    {
        var table = environment.Require(LambdaEnvironment.TableName);
        return new(DynamoDbClient.Primed(environment), table);
    }

    /// <summary>What a handler's generated program calls once at init when the handler takes an ItemsStore.</summary>
    public static ItemsStore Create(FunctionStartup startup) => Create(startup.Environment);

    /// <param name="caller">Who creates it (the token's sub), or null when no authorizer vouched for anyone.</param>
    public async Task<Item> CreateAsync(ItemInput input, string? caller, CancellationToken cancellationToken)
    {
        var now = Now();
        var item = new Item(ItemId.New(), input.Name, input.Description, input.Price, input.Tags, now, now, Version: 1, CreatedBy: caller, UpdatedBy: caller);
        try
        {
            await _dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = ToAttributes(item),
                ConditionExpression = "attribute_not_exists(#id)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#id"] = Id },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // 128 random bits collided: say so rather than overwrite someone else's item.
            throw ApiError.Conflict($"An item with the id '{item.Id}' already exists; retry the request.");
        }
        return item;
    }

    public async Task<Item?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = Key(id),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } attributes ? FromAttributes(attributes) : null;
    }

    public async Task<ItemPage> ListAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        var response = await _dynamo.ScanAsync(new ScanRequest
        {
            TableName = _table,
            Limit = limit,
            ExclusiveStartKey = after is null ? null : Key(after),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        var items = (response.Items ?? []).Select(FromAttributes).ToList();
        var next = response.LastEvaluatedKey is { Count: > 0 } last ? Cursor.Encode(last[Id].S!) : null;
        return new ItemPage(items, next);
    }

    /// <summary>
    /// Every item, one page of the table at a time as DynamoDB reads them (up to 1 MB each): what an export sends as it
    /// goes, so no more than a page is ever held. The first page is small, so the first lines go out before a whole
    /// megabyte has been read. Eventually consistent, as a whole-table read may be: half the cost.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<Item>> PagesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int FirstPageItems = 100;
        Dictionary<string, AttributeValue>? start = null;
        var first = true;
        do
        {
            var response = await _dynamo.ScanAsync(new ScanRequest { TableName = _table, ExclusiveStartKey = start, Limit = first ? FirstPageItems : null }, cancellationToken).ConfigureAwait(false);
            first = false;
            yield return (response.Items ?? []).Select(FromAttributes).ToList();
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    /// <param name="caller">Who changes it (the token's sub); null removes the last known changer, since this change has none.</param>
    public async Task<Item> UpdateAsync(string id, ItemInput input, IReadOnlyList<long>? expectedVersions, string? caller, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>
        {
            ["#id"] = Id,
            ["#name"] = Name,
            ["#description"] = Description,
            ["#price"] = Price,
            ["#tags"] = Tags,
            ["#updatedAt"] = UpdatedAt,
            ["#updatedBy"] = UpdatedBy,
            ["#version"] = ItemAttributes.Version,
        };
        var values = new Dictionary<string, AttributeValue>
        {
            [":name"] = S(input.Name),
            [":price"] = N(input.Price),
            [":tags"] = L(input.Tags),
            [":now"] = S(Now()),
            [":one"] = N(1L),
        };
        var set = "SET #name = :name, #price = :price, #tags = :tags, #updatedAt = :now, #version = #version + :one";
        var remove = new List<string>();
        if (input.Description is not null)
        {
            values[":description"] = S(input.Description);
            set += ", #description = :description";
        }
        else
        {
            remove.Add("#description"); // PUT replaces the item: a description left out is removed.
        }
        if (caller is not null)
        {
            values[":caller"] = S(caller);
            set += ", #updatedBy = :caller";
        }
        else
        {
            remove.Add("#updatedBy");
        }
        if (remove.Count > 0)
        {
            set += " REMOVE " + string.Join(", ", remove);
        }
        var condition = ItemExists + VersionCondition(expectedVersions, values);
        try
        {
            var response = await _dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(id),
                UpdateExpression = set,
                ConditionExpression = condition,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ReturnValues = "ALL_NEW",
            }, cancellationToken).ConfigureAwait(false);
            return FromAttributes(response.Attributes ?? throw new DynamoDbException("InvalidResponse", "UpdateItem returned no attributes.", 200));
        }
        catch (ConditionalCheckFailedException)
        {
            throw await WhyRefusedAsync(id, expectedVersions, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string id, IReadOnlyList<long>? expectedVersions, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string> { ["#id"] = Id };
        var values = new Dictionary<string, AttributeValue>();
        var condition = ItemExists + VersionCondition(expectedVersions, values);
        if (expectedVersions is not null)
        {
            names["#version"] = ItemAttributes.Version;
        }
        try
        {
            await _dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = _table,
                Key = Key(id),
                ConditionExpression = condition,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values.Count > 0 ? values : null,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw await WhyRefusedAsync(id, expectedVersions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A refused conditional write: without If-Match the item must have been missing; with it, a read (after the
    /// write was already refused, so no race can make it succeed) tells a missing item from a stale version.
    /// </summary>
    private async Task<ApiError> WhyRefusedAsync(string id, IReadOnlyList<long>? expectedVersions, CancellationToken cancellationToken)
    {
        var missing = ApiError.NotFound($"There is no item with the id '{id}'.");
        if (expectedVersions is null)
        {
            return missing;
        }
        var current = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var asked = expectedVersions.Count == 0 ? "If-Match names no version it could match"
            : $"If-Match names {string.Join(" or ", expectedVersions.Take(5).Select(v => v.ToString(CultureInfo.InvariantCulture)))}{(expectedVersions.Count > 5 ? " or others" : "")}";
        return current is null
            ? missing
            : ApiError.PreconditionFailed(
                $"The item is at version {current.Version.ToString(CultureInfo.InvariantCulture)}; {asked}. Get it again and retry.");
    }

    /// <summary>
    /// " AND #version IN (...)" for the versions If-Match accepts, or nothing without If-Match. A list with no version
    /// we could have issued asks for version 0, which no item has: DynamoDB's own check then refuses the write.
    /// </summary>
    private static string VersionCondition(IReadOnlyList<long>? versions, Dictionary<string, AttributeValue> values)
    {
        if (versions is null)
        {
            return "";
        }
        var operands = (versions.Count == 0 ? [0L] : versions).Distinct().Select((version, i) =>
        {
            values[$":v{i.ToString(CultureInfo.InvariantCulture)}"] = N(version);
            return $":v{i.ToString(CultureInfo.InvariantCulture)}";
        });
        return $" AND #version IN ({string.Join(", ", operands)})";
    }

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [Id] = S(id) };

    private string Now() => _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
