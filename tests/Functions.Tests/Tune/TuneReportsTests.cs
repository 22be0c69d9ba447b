using System.Text.Json;
using System.Xml.Linq;
using Functions.Tools.Bench;
using Functions.Tools.Tune;

namespace Functions.Tests.Tune;

/// <summary>The JSON, the chart and the Markdown of one tune run: the same figures and picks in each.</summary>
public sealed class TuneReportsTests
{
    private static readonly TuneRun Run = new(
        new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero),
        "test machine",
        TuneStrategy.Balanced,
        0,
        "2025-08-01",
        [
            new TuneResult("Items.Get", "arm64", "Lambda-shaped (cgroup v1)", true,
            [
                TuneStrategiesTests.Size(128, 800, 1.30m),
                TuneStrategiesTests.Size(512, 150, 1.25m),
                TuneStrategiesTests.Size(1024, 60, 1.28m),
                TuneStrategiesTests.Size(3008, 50, 1.60m),
            ]),
        ]);

    [Fact]
    public void The_JSON_holds_every_size_its_samples_and_each_strategys_pick()
    {
        // Act
        var json = JsonDocument.Parse(TuneJson.Write(Run)).RootElement;

        // Assert
        Assert.Equal("balanced", json.GetProperty("strategy").GetString());
        Assert.Equal("fn tune Items.Get", JsonDocument.Parse(TuneJson.Write(Run with { Command = "fn tune Items.Get" })).RootElement.GetProperty("command").GetString());
        var result = json.GetProperty("results")[0];
        Assert.Equal("Items.Get", result.GetProperty("function").GetString());
        Assert.Equal(512, result.GetProperty("picks").GetProperty("cost").GetInt32());
        Assert.Equal(3008, result.GetProperty("picks").GetProperty("speed").GetInt32());
        Assert.Equal(1024, result.GetProperty("picks").GetProperty("balanced").GetInt32());
        var sizes = result.GetProperty("sizes").EnumerateArray().ToList();
        Assert.Equal([128, 512, 1024, 3008], sizes.Select(s => s.GetProperty("memoryMb").GetInt32()));
        Assert.Equal(1.25m / 1_000_000m, sizes[1].GetProperty("costPerInvocation").GetDecimal());
        Assert.Equal(150, sizes[1].GetProperty("summaries").GetProperty("warm").GetProperty("p50").GetDouble());
        Assert.Equal(160, sizes[1].GetProperty("cold")[0].GetProperty("billedMs").GetInt64());
        Assert.Equal(128.0 / 1769, sizes[0].GetProperty("vcpus").GetDouble(), precision: 9);
    }

    [Fact]
    public void The_chart_draws_duration_and_cost_per_size_and_marks_the_runs_pick()
    {
        // Act
        var svg = XDocument.Parse(TuneChart.Write(Run));

        // Assert
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(4, l.Attribute("points")!.Value.Split(' ').Length));
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("1024 MB", texts);
        Assert.Contains(texts, t => t.Contains("balanced picks 1024 MB", StringComparison.Ordinal));
        Assert.Contains(svg.Descendants(ns + "title"), t => t.Value.StartsWith("512 MB: $1.2500 per 1M", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tables_mark_which_strategies_pick_each_size()
    {
        // Act
        var markdown = MarkdownReport.Write("fn tune", TuneTables.Heading(Run), TuneTables.Build(Run));

        // Assert
        Assert.StartsWith("# fn tune\n\ntest machine", markdown, StringComparison.Ordinal);
        var rows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Contains(rows, r => r.StartsWith("| 512 | 28.9 % of a vCPU |", StringComparison.Ordinal) && r.EndsWith("| cost |", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| 3008 | 1.7 vCPUs |", StringComparison.Ordinal) && r.EndsWith("| speed |", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| Items.Get | balanced ◀ | 1024 |", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unshaped_sweep_says_durations_do_not_follow_memory()
    {
        // Arrange
        var unshaped = Run with { Results = [Run.Results[0] with { Shaping = "host, not shaped (--cpu host)", ScalesWithMemory = false }] };

        // Act
        var markdown = MarkdownReport.Write("fn tune", TuneTables.Heading(unshaped), TuneTables.Build(unshaped));

        // Assert
        Assert.Contains("## Items.Get (arm64, host, not shaped (--cpu host))", markdown, StringComparison.Ordinal);
        Assert.Contains("Not shaped: every size ran on the host's whole CPU", markdown, StringComparison.Ordinal);
    }
}
