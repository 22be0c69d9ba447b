namespace Functions;

/// <summary>
/// The function uses a DynamoDB table of the CDK app: the stack grants exactly the actions of <paramref name="access"/>
/// on it (least privilege, no wildcards) and passes its name in <see cref="EnvironmentVariable"/>.
/// </summary>
/// <param name="table">The table's id in the CDK app, e.g. "Items".</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class UsesTableAttribute(string table, TableAccess access) : Attribute
{
    public string Table { get; } = table;

    public TableAccess Access { get; } = access;

    /// <summary>The variable that carries the table's name (TABLE_NAME unless set).</summary>
    public string EnvironmentVariable { get; init; } = "TABLE_NAME";
}

/// <summary>DynamoDB actions a function may call on a table; combine them with |. Read, Write and ReadWrite are the usual sets.</summary>
[Flags]
public enum TableAccess
{
    GetItem = 1,
    BatchGetItem = 2,
    Query = 4,
    Scan = 8,
    PutItem = 16,
    UpdateItem = 32,
    DeleteItem = 64,
    BatchWriteItem = 128,

    /// <summary>A transaction's condition check on an item it does not write (its writes need their own actions).</summary>
    ConditionCheckItem = 256,
    Read = GetItem | BatchGetItem | Query | Scan,
    Write = PutItem | UpdateItem | DeleteItem | BatchWriteItem,
    ReadWrite = Read | Write,
}
