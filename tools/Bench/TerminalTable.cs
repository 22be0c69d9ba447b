using Spectre.Console;

namespace Functions.Tools.Bench;

/// <summary>The markdown report's tables, drawn for the terminal.</summary>
public static class TerminalTable
{
    public static void Render(BenchRun run, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(console);
        Render(console, "fn bench", ReportTables.Heading(run), ReportTables.Build(run));
    }

    /// <summary>Any report's tables under its title and heading: bench's, tune's.</summary>
    internal static void Render(IAnsiConsole console, string title, string heading, IReadOnlyList<ReportTable> tables)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
        console.MarkupLine(Markup.Escape(heading));
        foreach (var report in tables)
        {
            console.WriteLine();
            if (report.Rows.Count == 0)
            {
                console.MarkupLine($"[bold]{Markup.Escape(report.Title)}[/]: {Markup.Escape(report.EmptyText)}");
                continue;
            }
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(report.Title)}[/]");
            foreach (var column in report.Columns)
            {
                var header = new TableColumn(Markup.Escape(column.Header));
                table.AddColumn(column.Numeric ? header.RightAligned() : header);
            }
            foreach (var row in report.Rows)
            {
                // Text, not markup: a function name or a "missed by" must print as written, brackets and all.
                table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
            }
            table.Caption($"[grey]{Markup.Escape(report.Note)}[/]");
            console.Write(table);
        }
    }
}
