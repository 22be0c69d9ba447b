using System.Text.Json;

namespace Functions.Tools.ApiGateway;

/// <summary>
/// A claim's value as HTTP API hands it to the function in requestContext.authorizer.jwt.claims: every value as a
/// string. Numbers keep their digits ("exp": "1787996002"), booleans are "true"/"false", and a list is its items
/// between brackets, separated by spaces ("cognito:groups": "[admin editors]"), the form measured on the real service.
/// Objects follow the same rule as "map[key:value ...]", keys sorted.
/// </summary>
public static class JwtClaimText
{
    public static string Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => "[" + string.Join(' ', value.EnumerateArray().Select(Of)) + "]",
        JsonValueKind.Object => "map[" + string.Join(' ', value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + ":" + Of(p.Value))) + "]",
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
