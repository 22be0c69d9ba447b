using Functions.Tools.Bench;
using Spectre.Console;

namespace Functions.Tests.Bench;

public sealed class TerminalTableTests
{
    [Fact]
    public void The_terminal_shows_the_same_tables_as_the_markdown()
    {
        // Arrange: a plain-text console wide enough for the cost table.
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 240;

        // Act
        TerminalTable.Render(SampleRuns.Run(), console);

        // Assert
        var text = output.ToString();
        Assert.Contains("test-machine (x64, 2 cores)", text, StringComparison.Ordinal);
        foreach (var title in new[] { "Cold start", "Warm invocations", "Size and memory", "Cost (USD)", "Goals" })
        {
            Assert.Contains(title, text, StringComparison.Ordinal);
        }
        Assert.Contains("$2,887.36", text, StringComparison.Ordinal);
        Assert.Contains("AOT cold total p50 ≤ JIT's / 10", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Square_brackets_in_names_are_printed_not_read_as_markup()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = 240;

        TerminalTable.Render(SampleRuns.Run(SampleRuns.HelloAot with { Function = "[red]x[/]" }), console);

        Assert.Contains("[red]x[/]", output.ToString(), StringComparison.Ordinal);
    }
}
