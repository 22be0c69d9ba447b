namespace Functions.Build;

/// <summary>A DynamoDB table of the CDK app: its construct id (what [UsesTable("...")] names) and its string partition key.</summary>
public sealed record StackTable(string Id, string PartitionKey);

/// <summary>
/// The tables the CDK app defines, in one place: infra/ItemsApiStack.cs makes one DynamoDB table of each, and ./fn new
/// accepts --table only for one of them. A table added here is in the stack; one defined only in the stack would be
/// invisible to ./fn new.
/// </summary>
public static class StackTables
{
    /// <summary>The items of the Items API, by the id the store makes.</summary>
    public static readonly StackTable Items = new("Items", "id");

    public static IReadOnlyList<StackTable> All { get; } = [Items];

    /// <summary>The table with this construct id (ids are case-sensitive, as CDK's are), or null.</summary>
    public static StackTable? Find(string id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));
}
