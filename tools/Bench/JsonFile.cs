using System.Text.Json;

namespace Functions.Tools.Bench;

/// <summary>The JSON files a user writes for bench (prices, bench.json, fixtures): comments and trailing commas allowed.</summary>
internal static class JsonFile
{
    /// <exception cref="BadFileError">The text is not JSON; the message names the file and the line.</exception>
    public static JsonDocument Parse(string path, string text)
    {
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BadFileError($"{path} is not valid JSON (line {e.LineNumber + 1}).", e);
        }
    }
}
