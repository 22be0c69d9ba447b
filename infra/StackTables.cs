namespace Functions.Infra;

/// <summary>A DynamoDB table of the Items app: its construct id (what [UsesTable("...")] names) and its string partition key.</summary>
public sealed record StackTable(string Id, string PartitionKey);

/// <summary>
/// The Items app's tables: ItemsApiStack makes one DynamoDB table of each and gives it to FunctionsHttpApi under its id,
/// which marks it in the template for ./fn new (--table) and serve.
/// </summary>
public static class StackTables
{
    /// <summary>The items of the Items API, by the id the store makes.</summary>
    public static readonly StackTable Items = new("Items", "id");

    public static IReadOnlyList<StackTable> All { get; } = [Items];

    /// <summary>The table with this construct id (ids are case-sensitive, as CDK's are), or null.</summary>
    public static StackTable? Find(string id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));
}
