using System.Text;

namespace Functions.Tools.Scaffold;

/// <summary>Which DynamoDB client a function ./fn new writes takes: ours (Functions.DynamoDb) or AWS's SDK (AWSSDK.DynamoDBv2).</summary>
public enum TableClient
{
    Lean,
    Sdk,
}

/// <summary>
/// The body of a handler that really uses its table, as ./fn new writes it for --table: a read gets the item whose
/// partition key is the route's first parameter (or queries by it, when the table has a sort key, or scans a page when
/// the route has no parameter); a write puts an item keyed by that parameter (or a new id), stamped with the time.
/// The same code for either client, in its own types.
/// </summary>
/// <param name="Table">The name [UsesTable] gives.</param>
/// <param name="PartitionKey">The table's partition key and its type (S or N).</param>
/// <param name="SortKey">The sort key and its type, or null.</param>
/// <param name="Parameter">The route's first parameter, or null.</param>
internal sealed record TableHandler(string Name, string Table, bool Writes, TableClient Client, (string Name, string Type) PartitionKey, (string Name, string Type)? SortKey, string? Parameter)
{
    /// <summary>Every name the body uses: a route parameter so named would hide it.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "dynamo", "Table", "found", "page", "key", "sort", "AttributeValue", "DynamoDbClient", "AmazonDynamoDBClient", "Environment", "Guid", "DateTimeOffset",
        "GetItemRequest", "PutItemRequest", "QueryRequest", "ScanRequest", "InvalidOperationException",
    };

    /// <summary>What the sample event (every parameter "example") gets: a read by key finds nothing in a fresh table.</summary>
    public int SampleStatus => !Writes && Parameter is not null && SortKey is null ? 404 : 200;

    /// <summary>The status's reason, for events/README.md.</summary>
    public string SampleWhy => SampleStatus == 404
        ? $"no item `example` in {Table} until one is written"
        : Writes ? $"writes an item to {Table}" : $"reads {Table}";

    public IEnumerable<string> Usings => Client == TableClient.Lean
        ? ["Functions.DynamoDb"]
        : ["Amazon.DynamoDBv2", "Amazon.DynamoDBv2.Model"];

    /// <summary>The client's parameter, first of the handler's own.</summary>
    public string ClientParameter => Client == TableClient.Lean ? "DynamoDbClient dynamo" : "AmazonDynamoDBClient dynamo";

    /// <summary>What the function's project adds: the client's package (a project in this repository).</summary>
    public string ProjectItem(bool leanClientIsAProject) => Client == TableClient.Sdk
        ? "<PackageReference Include=\"AWSSDK.DynamoDBv2\" />"
        : leanClientIsAProject ? "<ProjectReference Include=\"../../shared/DynamoDb/Functions.DynamoDb.csproj\" />" : "<PackageReference Include=\"Functions.DynamoDb\" />";

    /// <summary>The static the table's name is read into at init, from the variable [UsesTable] sets by default.</summary>
    public string TableField => $$"""
            // The table's name, from the variable [UsesTable] declares: read once, at init.
            private static readonly string Table = Environment.GetEnvironmentVariable("{{Variable}}")
                ?? throw new InvalidOperationException("{{Variable}} is not set: the stack sets it for [UsesTable(\"{{Table}}\")].");

        """;

    private const string Variable = Functions.Runtime.LambdaEnvironment.TableName;

    /// <summary>The handler's statements, indented for a method body.</summary>
    public string Body()
    {
        var code = new StringBuilder();
        var key = Parameter ?? "key";
        if (Writes)
        {
            if (Parameter is null)
            {
                code.AppendLine($"        var key = {NewKey(PartitionKey.Type)};");
            }
            code.AppendLine("        await dynamo.PutItemAsync(new PutItemRequest");
            code.AppendLine("        {");
            code.AppendLine("            TableName = Table,");
            code.AppendLine("            Item = new()");
            code.AppendLine("            {");
            code.AppendLine($"                [\"{PartitionKey.Name}\"] = {Value(PartitionKey.Type, key)},");
            if (SortKey is { } sort)
            {
                code.AppendLine($"                [\"{sort.Name}\"] = {Value(sort.Type, NewKey(sort.Type))},");
            }
            code.AppendLine("                [\"updatedAt\"] = new AttributeValue { S = DateTimeOffset.UtcNow.ToString(\"O\") },");
            code.AppendLine("            },");
            code.AppendLine("        }, context.CancellationToken);");
            code.AppendLine($"        return Results.Ok(new MessageBody($\"{Name} wrote {{{key}}} to {Table}\"), FunctionsJson.Wire.MessageBody);");
        }
        else if (Parameter is null)
        {
            code.AppendLine("        var page = await dynamo.ScanAsync(new ScanRequest { TableName = Table, Limit = 25 }, context.CancellationToken);");
            code.AppendLine($"        return Results.Ok(new MessageBody($\"{Name} read {{page.Items?.Count ?? 0}} items of {Table}\"), FunctionsJson.Wire.MessageBody);");
        }
        else if (SortKey is null)
        {
            code.AppendLine("        var found = await dynamo.GetItemAsync(new GetItemRequest");
            code.AppendLine("        {");
            code.AppendLine("            TableName = Table,");
            code.AppendLine($"            Key = new() {{ [\"{PartitionKey.Name}\"] = {Value(PartitionKey.Type, key)} }},");
            code.AppendLine("        }, context.CancellationToken);");
            code.AppendLine("        return found.Item is null or { Count: 0 }");
            code.AppendLine($"            ? Results.Problem(404, $\"There is no item {{{key}}} in {Table}.\", context.RequestId)");
            code.AppendLine($"            : Results.Ok(new MessageBody($\"{Name} found {{{key}}} in {Table}\"), FunctionsJson.Wire.MessageBody);");
        }
        else
        {
            code.AppendLine("        var page = await dynamo.QueryAsync(new QueryRequest");
            code.AppendLine("        {");
            code.AppendLine("            TableName = Table,");
            code.AppendLine("            KeyConditionExpression = \"#key = :key\",");
            code.AppendLine($"            ExpressionAttributeNames = new() {{ [\"#key\"] = \"{PartitionKey.Name}\" }},");
            code.AppendLine($"            ExpressionAttributeValues = new() {{ [\":key\"] = {Value(PartitionKey.Type, key)} }},");
            code.AppendLine("            Limit = 25,");
            code.AppendLine("        }, context.CancellationToken);");
            code.AppendLine($"        return Results.Ok(new MessageBody($\"{Name} read {{page.Items?.Count ?? 0}} items of {Table} with {PartitionKey.Name} {{{key}}}\"), FunctionsJson.Wire.MessageBody);");
        }
        return code.ToString();
    }

    /// <summary>A key attribute's value from a string: numbers travel as text in both clients.</summary>
    private static string Value(string type, string expression) =>
        type == "N" ? $"new AttributeValue {{ N = {expression} }}" : $"new AttributeValue {{ S = {expression} }}";

    private static string NewKey(string type) =>
        type == "N" ? "DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)" : "Guid.NewGuid().ToString(\"N\")";
}
