using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace Functions.Tools.Bench;

/// <summary>
/// Reads DynamoDB JSON (each value wrapped in its type: {"S":"x"}, {"N":"1.5"}, {"L":[...]}), the form the AWS CLI
/// and the console export, into the low-level API's attribute values. Exact by construction: numbers stay text.
/// </summary>
internal static class DynamoDbJson
{
    public static Dictionary<string, AttributeValue> Item(JsonElement item, string where) =>
        item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any()
            ? item.EnumerateObject().ToDictionary(a => a.Name, a => Value(a.Value, $"{where}.{a.Name}"), StringComparer.Ordinal)
            : throw Invalid(where, "an item must be a non-empty object of attributes");

    private static AttributeValue Value(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Count() != 1)
        {
            throw Invalid(where, "each attribute is an object with one type key: S, N, B, BOOL, NULL, L, M, SS, NS or BS");
        }
        var typed = value.EnumerateObject().Single();
        var inner = typed.Value;
        return typed.Name switch
        {
            "S" => new AttributeValue { S = Text(inner, where) },
            "N" => new AttributeValue { N = Number(Text(inner, where), where) },
            "B" => new AttributeValue { B = new MemoryStream(Bytes(Text(inner, where), where)) },
            "BOOL" when inner.ValueKind is JsonValueKind.True or JsonValueKind.False => new AttributeValue { BOOL = inner.GetBoolean() },
            "NULL" when inner.ValueKind == JsonValueKind.True => new AttributeValue { NULL = true },
            "L" => new AttributeValue { L = List(inner, where).Select((v, i) => Value(v, $"{where}[{i}]")).ToList() },
            "M" => new AttributeValue { M = Item(inner, where) },
            "SS" => new AttributeValue { SS = List(inner, where).Select(v => Text(v, where)).ToList() },
            "NS" => new AttributeValue { NS = List(inner, where).Select(v => Number(Text(v, where), where)).ToList() },
            "BS" => new AttributeValue { BS = List(inner, where).Select(v => new MemoryStream(Bytes(Text(v, where), where))).ToList() },
            _ => throw Invalid(where, $"\"{typed.Name}\" with {inner.ValueKind} is not a DynamoDB type and value"),
        };
    }

    private static string Text(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(where, "S, N and B values are JSON strings");

    private static string Number(string text, string where) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? text
            : throw Invalid(where, $"\"{text}\" is not a number");

    private static byte[] Bytes(string text, string where)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Invalid(where, "B values are base64");
        }
    }

    private static IEnumerable<JsonElement> List(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw Invalid(where, "L, SS, NS and BS values are JSON lists");

    private static BadFileError Invalid(string where, string why) => new($"{where}: {why}.");
}
