using System.Text.Json;
using System.Text.Unicode;
using Functions.Errors;

namespace Functions.Items;

/// <summary>
/// Reads and validates an item body field by field, so every error names its field. JsonDocument instead of a
/// typed deserializer: unknown fields, duplicate fields and wrong JSON types each get their own message.
/// </summary>
public static class ItemInputReader
{
    private const string Name = "name";
    private const string Description = "description";
    private const string Price = "price";
    private const string Tags = "tags";

    public static ItemInput Read(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ApiError.Invalid("body", "must be a JSON object");
        }

        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var messages))
            {
                errors[field] = messages = [];
            }
            messages.Add(message);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not (Name or Description or Price or Tags))
            {
                Fail(property.Name, "is not a known field");
            }
            else if (!seen.Add(property.Name))
            {
                Fail(property.Name, "appears more than once");
            }
        }

        var name = ReadName(root, Fail);
        var description = ReadDescription(root, Fail);
        var price = ReadPrice(root, Fail);
        var tags = ReadTags(root, Fail);

        if (errors.Count > 0)
        {
            var byField = errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
            var summary = string.Join("; ", byField.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            throw ApiError.BadRequest(summary, byField);
        }
        return new ItemInput(name!, description, price, tags);
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        // JSON text is UTF-8 (RFC 8259 §8.1); the parser leaves string contents unchecked until they are read.
        if (!Utf8.IsValid(body.Span))
        {
            throw ApiError.Invalid("body", "is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            // The position in our words: the parser's own message names its internals.
            throw ApiError.Invalid("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        if (!AllStringsAreText(document.RootElement))
        {
            document.Dispose();
            throw ApiError.Invalid("body", "holds a string with an unpaired surrogate escape (a lone \\uD800-\\uDFFF), which is no Unicode text");
        }
        return document;
    }

    /// <summary>
    /// Valid JSON may escape half of a surrogate pair ("\ud800"); such a string has no UTF-8 form, and reading it
    /// throws. Every name and string is checked once here, so no field reader meets one.
    /// </summary>
    private static bool AllStringsAreText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Object:
                    return element.EnumerateObject().All(p => p.Name is not null && AllStringsAreText(p.Value));
                case JsonValueKind.Array:
                    return element.EnumerateArray().All(AllStringsAreText);
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string? ReadName(JsonElement root, Action<string, string> fail)
    {
        if (!root.TryGetProperty(Name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            fail(Name, "is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            fail(Name, "must be a string");
            return null;
        }
        var name = value.GetString()!;
        if (string.IsNullOrWhiteSpace(name))
        {
            fail(Name, "must not be blank");
        }
        else if (UnseenCharacters.FirstIn(name) is { } bad)
        {
            fail(Name, $"must not contain {bad}");
        }
        else if (Length(name) > ItemInput.MaxNameLength)
        {
            fail(Name, $"must be at most {ItemInput.MaxNameLength} characters");
        }
        return name;
    }

    private static string? ReadDescription(JsonElement root, Action<string, string> fail)
    {
        if (!root.TryGetProperty(Description, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            fail(Description, "must be a string");
            return null;
        }
        var description = value.GetString()!;
        if (Length(description) > ItemInput.MaxDescriptionLength)
        {
            fail(Description, $"must be at most {ItemInput.MaxDescriptionLength} characters");
        }
        else if (UnseenCharacters.FirstIn(description, allowLineBreaks: true) is { } bad)
        {
            fail(Description, $"must not contain {bad}");
        }
        return description;
    }

    private static decimal ReadPrice(JsonElement root, Action<string, string> fail)
    {
        if (!root.TryGetProperty(Price, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            fail(Price, "is required");
            return 0;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            fail(Price, "must be a number");
            return 0;
        }
        // Judged on the number as written, not on the decimal it would round to: 1.00000000000000000000000000001
        // and 1e-400 are not 1 and 0, and the API stores what it was sent or refuses it.
        switch (ExactNumber.Fit(value.GetRawText(), ItemInput.MaxPriceDecimals))
        {
            case NumberFit.OutOfRange:
                fail(Price, "is out of range");
                return 0;
            case NumberFit.TooManyDecimals:
                fail(Price, $"must have at most {ItemInput.MaxPriceDecimals} decimals");
                return 0;
        }
        if (!value.TryGetDecimal(out var price))
        {
            fail(Price, "is out of range");
            return 0;
        }
        if (price < 0)
        {
            fail(Price, "must be zero or more");
        }
        // Trailing zeros dropped, as DynamoDB stores numbers: 1.10 answers 1.1 on create as on every later read.
        return price / 1.000000000000000000000000000000000m;
    }

    private static IReadOnlyList<string> ReadTags(JsonElement root, Action<string, string> fail)
    {
        if (!root.TryGetProperty(Tags, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            fail(Tags, "must be an array of strings");
            return [];
        }
        var tags = new List<string>();
        foreach (var tag in value.EnumerateArray())
        {
            if (tag.ValueKind != JsonValueKind.String)
            {
                fail(Tags, "must be an array of strings");
                return [];
            }
            tags.Add(tag.GetString()!);
        }
        if (tags.Count > ItemInput.MaxTags)
        {
            fail(Tags, $"must hold at most {ItemInput.MaxTags} tags");
        }
        if (tags.Any(t => t.Length == 0 || Length(t) > ItemInput.MaxTagLength))
        {
            fail(Tags, $"each tag must be 1 to {ItemInput.MaxTagLength} characters");
        }
        if (tags.Select(t => UnseenCharacters.FirstIn(t)).FirstOrDefault(bad => bad is not null) is { } unprintable)
        {
            fail(Tags, $"must not contain {unprintable}");
        }
        if (tags.Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            fail(Tags, "must not repeat a tag");
        }
        return tags;
    }

    // Characters as a person counts them (code points), not UTF-16 units.
    private static int Length(string text) => text.EnumerateRunes().Count();
}
