using System.Xml.Linq;
using Functions.Tools.Bench;

namespace Functions.Tests.Bench;

public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void The_chart_is_an_SVG_document()
    {
        var document = XDocument.Parse(SvgChart.Write(SampleRuns.Run()));

        Assert.Equal(Svg + "svg", document.Root!.Name);
        Assert.Equal(2, document.Root.Elements(Svg + "g").Count(g => (string?)g.Attribute("class") == "panel"));
    }

    [Fact]
    public void The_cold_panel_has_a_bar_and_a_p99_marker_per_function_and_mode()
    {
        var cold = Panels(SampleRuns.Run())[0];

        var bars = Bars(cold).Select(b => ((string)b.Attribute("data-group")!, (string)b.Attribute("data-series")!));

        Assert.Equal(new[] { ("Hello", "aot"), ("Hello", "r2r"), ("Hello", "jit"), ("Items.Get", "aot") }, bars);
        Assert.Equal(4, cold.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "marker"));
    }

    [Fact]
    public void A_taller_cold_start_draws_a_taller_bar()
    {
        var heights = Bars(Panels(SampleRuns.Run())[0]).ToDictionary(b => (string)b.Attribute("data-series")! + " " + (string)b.Attribute("data-group")!, b => (double)b.Attribute("height")!);

        // p50 cold totals: Hello aot 13.9, r2r 96, jit 230.
        Assert.True(heights["aot Hello"] < heights["r2r Hello"] && heights["r2r Hello"] < heights["jit Hello"]);
    }

    [Fact]
    public void The_cost_panel_has_a_bar_per_memory_size_run_and_mode_at_the_middle_rate()
    {
        var cost = Panels(SampleRuns.Run())[1];

        var bars = Bars(cost).Select(b => ((string)b.Attribute("data-group")!, (string)b.Attribute("data-series")!)).ToList();

        Assert.Equal(3, bars.Count);
        Assert.Equal(new[] { "128 MB" }, bars.Select(b => b.Item1).Distinct());
        Assert.Contains(cost.Descendants(Svg + "text"), t => t.Value.StartsWith("At 100 rps per function", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cold_panel_says_what_its_figures_ran_at()
    {
        var cold = Panels(SampleRuns.Run())[0];

        Assert.Contains(cold.Descendants(Svg + "text"), t => t.Value == $"Ran at: 128 MB, {SampleRuns.Shaped}");
        Assert.All(Bars(cold), b => Assert.EndsWith($"at 128 MB, {SampleRuns.Shaped}", b.Element(Svg + "title")!.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void A_function_costed_in_only_some_modes_is_left_out_of_the_sums()
    {
        // Items.Get was run in aot only; summing it into aot would make aot look dearer than r2r and jit.
        var cost = Panels(SampleRuns.Run())[1];

        var aot128 = Bars(cost).Single(b => (string)b.Attribute("data-group")! == "128 MB" && (string)b.Attribute("data-series")! == "aot");

        // Hello aot at 128 MB: $1.2023750 per million × 259.2 million requests = $311.66 (see MarkdownReportTests).
        Assert.Equal("aot at 128 MB: $311.66 a month", aot128.Element(Svg + "title")!.Value);
        Assert.Contains(cost.Descendants(Svg + "text"), t => t.Value == "Summed over the functions costed in every mode: Hello.");
    }

    [Fact]
    public void Every_mode_has_its_own_colour_and_a_legend_entry()
    {
        var cold = Panels(SampleRuns.Run())[0];

        var colours = Bars(cold).GroupBy(b => (string)b.Attribute("data-series")!).ToDictionary(g => g.Key, g => g.Select(b => (string)b.Attribute("fill")!).Distinct().Single());

        Assert.Equal(3, colours.Values.Distinct().Count());
        Assert.Equal(3, cold.Elements(Svg + "rect").Count(r => (string?)r.Attribute("class") == "legend"));
    }

    [Fact]
    public void The_value_axis_has_ticks_from_zero()
    {
        var cold = Panels(SampleRuns.Run())[0];

        var ticks = cold.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == "tick").Select(t => t.Value).ToList();

        // Tallest mark: jit p99 275 ms -> steps of 100 up to 300.
        Assert.Equal(new[] { "0", "100", "200", "300" }, ticks);
    }

    [Fact]
    public void Labels_are_escaped()
    {
        var odd = SampleRuns.HelloAot with { Function = "<Items & \"Co\">" };

        var text = SvgChart.Write(SampleRuns.Run(odd));
        var document = XDocument.Parse(text);

        Assert.Contains(document.Descendants(Svg + "text"), t => t.Value == "<Items & \"Co\">");
        Assert.Contains("&lt;Items &amp; \"Co\"&gt;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_run_still_gives_a_valid_chart()
    {
        var run = new BenchRun(DateTimeOffset.UnixEpoch, "m", [], [], 0.01, [], "2025-08-01");

        var document = XDocument.Parse(SvgChart.Write(run));

        Assert.Empty(Bars(document.Root!));
    }

    [Theory]
    [InlineData(new[] { 1.0, 100, 1000 }, 100)]
    [InlineData(new[] { 1000.0, 1, 10, 100 }, 100)]
    [InlineData(new[] { 5.0 }, 5)]
    public void The_middle_rate_is_the_middle_of_the_sorted_levels(double[] levels, double expected)
    {
        Assert.Equal(expected, SvgChart.MiddleRps(levels));
    }

    private static List<XElement> Panels(BenchRun run) =>
        XDocument.Parse(SvgChart.Write(run)).Root!.Elements(Svg + "g").Where(g => (string?)g.Attribute("class") == "panel").ToList();

    private static IEnumerable<XElement> Bars(XElement scope) =>
        scope.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar");
}
