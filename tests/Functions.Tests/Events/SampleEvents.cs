using System.Text.RegularExpressions;
using Functions.Tools;

namespace Functions.Tests.Events;

/// <summary>The files under events/ and what events/README.md says each one gets.</summary>
internal static partial class SampleEvents
{
    public static string Folder { get; } = Repository.Locate().Events;

    public static IEnumerable<string> Files() =>
        Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static TheoryData<string> FileNames() => new(Files());

    public static string Read(string file) => File.ReadAllText(Path.Combine(Folder, file));

    /// <summary>"items-create.invalid-json.json" -> "items-create": the function part of the name.</summary>
    public static string FunctionKebab(string file) => file.Split('.')[0];

    /// <summary>"Items.Create" -> "items-create".</summary>
    public static string Kebab(string function) => function.Replace('.', '-').ToLowerInvariant();

    /// <summary>The README's table: file -> (function, status).</summary>
    public static IReadOnlyDictionary<string, (string Function, int Status)> Table()
    {
        var rows = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(Folder, "README.md")))
        {
            var match = Row().Match(line);
            if (match.Success)
            {
                rows.Add(match.Groups["file"].Value, (match.Groups["function"].Value, int.Parse(match.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return rows;
    }

    [GeneratedRegex(@"^\| `(?<file>[^`]+\.json)` \| (?<function>[A-Za-z.]+) \| (?<status>\d{3}) \|")]
    private static partial Regex Row();
}
