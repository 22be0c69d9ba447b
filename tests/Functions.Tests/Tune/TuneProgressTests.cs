using Functions.Tools.Tune;

namespace Functions.Tests.Tune;

public sealed class TuneProgressTests
{
    [Fact]
    public void On_a_terminal_one_bar_is_redrawn_in_place_and_ends_its_line_when_done()
    {
        // Arrange
        var output = new StringWriter();
        var progress = new TuneProgress(output, interactive: true);

        // Act
        progress.Report(new SweepProgress("Hello", 128, 0, 4));
        progress.Report(new SweepProgress("Hello", 128, 2, 4));
        progress.Report(new SweepProgress("Hello", 256, 4, 4));

        // Assert
        var text = output.ToString();
        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.EndsWith($"tune: Hello at   256 MB [{new string('#', 30)}] 4/4{Environment.NewLine}", text, StringComparison.Ordinal);
        Assert.Contains($"[{new string('#', 15)}{new string('.', 15)}] 2/4", text, StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_log_each_size_is_one_line()
    {
        // Arrange
        var output = new StringWriter();
        var progress = new TuneProgress(output, interactive: false);

        // Act
        foreach (var (size, done) in new[] { (128, 0), (128, 1), (128, 2), (256, 2), (256, 3), (256, 4) })
        {
            progress.Report(new SweepProgress("Hello", size, done, 4));
        }

        // Assert
        Assert.Equal(
            ["tune: Hello at 128 MB (0/4 invocations done)", "tune: Hello at 256 MB (2/4 invocations done)"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
