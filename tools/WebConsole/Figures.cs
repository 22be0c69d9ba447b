using System.Text.Json;

namespace Functions.Tools.WebConsole;

/// <summary>The latest run of `fn bench` or `fn tune`, as it wrote it to its default folder: what the console's figures show.</summary>
internal sealed record FiguresRun(string? Command, string? StartedAt, string? Machine, string Markdown, bool HasChart);

internal static class Figures
{
    /// <summary>The verbs whose results the console shows: each writes KIND.json, KIND.md and KIND.svg to artifacts/KIND/.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["bench", "tune"];

    public static string ChartPath(Repository repository, string kind) => Path.Combine(repository.Artifacts, kind, kind + ".svg");

    /// <returns>The run, or null when the verb has not written one (or left an unreadable one: a run cut short).</returns>
    public static FiguresRun? Latest(Repository repository, string kind)
    {
        var folder = Path.Combine(repository.Artifacts, kind);
        var (jsonPath, markdownPath) = (Path.Combine(folder, kind + ".json"), Path.Combine(folder, kind + ".md"));
        if (!File.Exists(jsonPath) || !File.Exists(markdownPath))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
            string? Text(string name) => json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return new FiguresRun(Text("command"), Text("startedAt"), Text("machine"), File.ReadAllText(markdownPath), File.Exists(ChartPath(repository, kind)));
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }
}
