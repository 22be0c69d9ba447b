using System;
using System.Collections.Generic;
using System.Linq;

namespace Functions.Declarations;

/// <summary>
/// The TableAccess names a declaration may combine (TableAccess.GetItem | TableAccess.Scan) and the DynamoDB actions
/// each grants. Mirrors the TableAccess enum in shared/Toolkit (a test holds the two to the same names).
/// </summary>
internal static class TableActions
{
    public static readonly IReadOnlyDictionary<string, string[]> ByAccess = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["GetItem"] = new[] { "dynamodb:GetItem" },
        ["BatchGetItem"] = new[] { "dynamodb:BatchGetItem" },
        ["Query"] = new[] { "dynamodb:Query" },
        ["Scan"] = new[] { "dynamodb:Scan" },
        ["PutItem"] = new[] { "dynamodb:PutItem" },
        ["UpdateItem"] = new[] { "dynamodb:UpdateItem" },
        ["DeleteItem"] = new[] { "dynamodb:DeleteItem" },
        ["BatchWriteItem"] = new[] { "dynamodb:BatchWriteItem" },
        ["ConditionCheckItem"] = new[] { "dynamodb:ConditionCheckItem" },
        ["Read"] = new[] { "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan" },
        ["Write"] = new[] { "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem" },
        ["ReadWrite"] = new[]
        {
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
        },
    };

    public static bool Reads(string action) => ByAccess["Read"].Contains(action);

    public static bool Writes(string action) => ByAccess["Write"].Contains(action);

    /// <summary>The actions of several access names, each once, in the order declared.</summary>
    public static IReadOnlyList<string> For(IEnumerable<string> access) =>
        access.SelectMany(a => ByAccess.TryGetValue(a, out var actions) ? actions : Array.Empty<string>()).Distinct().ToList();
}
