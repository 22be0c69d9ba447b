// Compiled into the source generator (netstandard2.0) and into the build core (build/, for the CDK app and ./fn):
// one reading of a function's declaration, so the generated program and the deployed stack can never disagree.
using System.Collections.Generic;
using System.Linq;

namespace Functions.Declarations;

/// <summary>A table a function uses, the DynamoDB actions it may call on it, and the variable that names it.</summary>
internal sealed class TableUse
{
    public TableUse(string table, IReadOnlyList<string> actions, string variable)
    {
        Table = table;
        Actions = actions;
        Variable = variable;
    }

    /// <summary>The table's id in the CDK app (the construct id, e.g. "Items").</summary>
    public string Table { get; }

    /// <summary>Exactly the DynamoDB actions, e.g. dynamodb:GetItem: least privilege, never a wildcard.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>The environment variable that carries the table's name (TABLE_NAME unless declared).</summary>
    public string Variable { get; }
}

/// <summary>
/// Everything a function says about itself beside its code (issue 11): its route and verb, the tables it uses and
/// how, and its Lambda settings. The attributes in shared/Toolkit/Declarations are the only place these are written.
/// </summary>
internal sealed class FunctionDeclaration
{
    public FunctionDeclaration(string method, string verb, string path, IReadOnlyList<TableUse> tables, int? memoryMb, int? timeoutSeconds,
        IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        Method = method;
        Verb = verb;
        Path = path;
        Tables = tables;
        MemoryMb = memoryMb;
        TimeoutSeconds = timeoutSeconds;
        Environment = environment;
    }

    /// <summary>The handler: Type.Method.</summary>
    public string Method { get; }

    /// <summary>GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY.</summary>
    public string Verb { get; }

    /// <summary>The route path as HTTP API takes it: /items/{id}, /files/{proxy+}.</summary>
    public string Path { get; }

    /// <summary>HTTP API's route key: "GET /items/{id}".</summary>
    public string RouteKey => Verb + " " + Path;

    public IReadOnlyList<TableUse> Tables { get; }

    /// <summary>Null: the stack's default.</summary>
    public int? MemoryMb { get; }

    /// <summary>Null: the stack's default.</summary>
    public int? TimeoutSeconds { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }

    /// <summary>The route parameters: {id} -> id, {proxy+} -> proxy.</summary>
    public IEnumerable<string> RouteParameters => RouteRules.Parameters(Path);
}
