using System.Text;

namespace Functions.Tools.Bench;

/// <summary>The report as GitHub-flavoured markdown, to paste into a pull request.</summary>
public static class MarkdownReport
{
    public static string Write(BenchRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Write("fn bench", ReportTables.Heading(run), ReportTables.Build(run));
    }

    /// <summary>Any report's tables under its title and heading: bench's, tune's.</summary>
    internal static string Write(string title, string heading, IReadOnlyList<ReportTable> tables)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(Escape(title)).Append("\n\n");
        md.Append(Escape(heading)).Append("\n\n");
        foreach (var table in tables)
        {
            md.Append("## ").Append(Escape(table.Title)).Append("\n\n");
            md.Append(Escape(table.Note)).Append("\n\n");
            if (table.Rows.Count == 0)
            {
                md.Append(Escape(table.EmptyText)).Append("\n\n");
                continue;
            }
            AppendRow(md, table.Columns.Select(c => c.Header));
            AppendRow(md, table.Columns.Select(c => c.Numeric ? "---:" : "---"));
            foreach (var row in table.Rows)
            {
                AppendRow(md, row);
            }
            md.Append('\n');
        }
        return md.ToString();
    }

    private static void AppendRow(StringBuilder md, IEnumerable<string> cells) =>
        md.Append("| ").Append(string.Join(" | ", cells.Select(Escape))).Append(" |\n");

    /// <summary>A pipe would end the cell and a line break the table; names come from folder names and logs.</summary>
    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);
}
