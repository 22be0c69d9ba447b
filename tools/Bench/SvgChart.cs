using System.Globalization;
using System.Xml.Linq;
using static Functions.Tools.Bench.SvgParts;

namespace Functions.Tools.Bench;

/// <summary>
/// A self-contained SVG of the run, to open in a browser or attach to a pull request: cold total p50 per function
/// and mode with a p99 marker, and the monthly cost per memory size and mode at the middle request rate.
/// Built with XElement, so every label is escaped and the document is well-formed by construction.
/// </summary>
public static class SvgChart
{
    private const double Width = 960;
    private const double PanelHeight = 360;
    private const double Left = 80;
    private const double Right = 190;
    private const double PlotTop = 80;
    private const double PlotBottom = 56;
    private const double MinBarWidthForLabel = 30;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    // Fixed colours for the three build modes so every chart reads the same; anything else takes the next spare one.
    private static readonly Dictionary<string, string> ModeColours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aot"] = "#2e7d32",
        ["r2r"] = "#1565c0",
        ["jit"] = "#ef6c00",
    };

    private static readonly string[] SpareColours = ["#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64"];

    /// <summary>One bar: its group on the x axis, its series (colour), its height, an optional marker and a tooltip.</summary>
    private sealed record Bar(string Group, string Series, double Value, double? Marker, string Tooltip);

    public static string Write(BenchRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var svg = Document(Width, 2 * PanelHeight, $"fn bench, {run.Machine}, {BenchFormat.Timestamp(run.StartedAt)}");
        svg.Add(ColdPanel(run), CostPanel(run));
        return new XDocument(svg).ToString();
    }

    /// <summary>The rate the cost panel shows: the middle of the sorted levels (the upper middle when their number is even).</summary>
    public static double? MiddleRps(IReadOnlyList<double> rpsLevels) =>
        rpsLevels.Count == 0 ? null : rpsLevels.Order().ElementAt(rpsLevels.Count / 2);

    private static XElement ColdPanel(BenchRun run)
    {
        var bars = run.Results
            .Where(r => r.ColdTotal is not null)
            .Select(r => new Bar(r.Function, r.Mode, r.ColdTotal!.P50, r.ColdTotal.P99,
                $"{r.Function} {r.Mode}: cold total p50 {BenchFormat.Ms(r.ColdTotal.P50)} ms, p99 {BenchFormat.Ms(r.ColdTotal.P99)} ms ({r.Cold.Count} samples), at {r.RanAt}"))
            .ToList();
        var ranAt = run.Results.Select(r => r.RanAt).Distinct(StringComparer.Ordinal).ToList();
        return Panel(0, "Cold start: init + first invocation (ms)", ["Bar: p50 of the cold starts. Marker: p99.", $"Ran at: {(ranAt.Count == 1 ? ranAt[0] : "each bar's tooltip says")}"], bars,
            Ordered(run.Results.Select(r => r.Mode)), value => BenchFormat.Ms(value), tickPrefix: "", markerLegend: "p99");
    }

    /// <summary>
    /// The whole API's month per memory size and series, summed over the functions costed in every series only, so a
    /// mode that was run for more functions does not look dearer for that reason.
    /// </summary>
    private static XElement CostPanel(BenchRun run)
    {
        var severalArchitectures = run.Costs.Select(c => c.Architecture).Distinct(StringComparer.Ordinal).Count() > 1;
        string SeriesOf(CostRow cost) => severalArchitectures ? $"{cost.Mode} {cost.Architecture}" : cost.Mode;
        var series = Ordered(run.Costs.Select(SeriesOf));
        var common = run.Costs.Select(c => c.Function).Distinct(StringComparer.Ordinal)
            .Where(function => series.All(name => run.Costs.Any(c => c.Function == function && SeriesOf(c) == name)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var rps = MiddleRps(run.RpsLevels);
        var bars = new List<Bar>();
        if (rps is { } level)
        {
            var compared = run.Costs.Where(c => common.Contains(c.Function, StringComparer.Ordinal));
            foreach (var group in compared.GroupBy(c => (c.MemoryMb, Series: SeriesOf(c))).OrderBy(g => g.Key.MemoryMb))
            {
                var monthly = group.SelectMany(c => c.Monthly).Where(m => m.Rps == level).Sum(m => m.PerMonth);
                bars.Add(new Bar($"{group.Key.MemoryMb} MB", group.Key.Series, (double)monthly, null,
                    $"{group.Key.Series} at {group.Key.MemoryMb} MB: {BenchFormat.PerMonth(monthly)} a month"));
            }
        }
        string[] subtitle = rps is { } shown
            ? [$"At {BenchFormat.Rps(shown)} rps per function; 30-day month, {BenchFormat.Percent(run.ColdShare)} cold, us-east-1 prices of {run.PricesDate}.",
                common.Count > 0 ? $"Summed over the functions costed in every mode: {string.Join(", ", common)}." : "No function was costed in every mode."]
            : ["No request rates were given."];
        return Panel(PanelHeight, "Monthly cost per memory size (USD)", subtitle, bars,
            series, value => BenchFormat.PerMonth((decimal)value), tickPrefix: "$", markerLegend: null);
    }

    private static XElement Panel(double top, string title, IReadOnlyList<string> subtitle, IReadOnlyList<Bar> bars, List<string> series,
        Func<double, string> valueLabel, string tickPrefix, string? markerLegend)
    {
        var panel = new XElement(Svg + "g", new XAttribute("class", "panel"),
            Text(Left, top + 24, title, ("font-size", "16"), ("font-weight", "bold")),
            subtitle.Select((line, i) => Text(Left, top + 42 + 15 * i, line, ("fill", "#555"), ("class", "subtitle"))));
        var plotLeft = Left;
        var plotRight = Width - Right;
        var plotTop = top + PlotTop;
        var plotBottom = top + PanelHeight - PlotBottom;
        if (bars.Count == 0)
        {
            panel.Add(Text(plotLeft, (plotTop + plotBottom) / 2, "Nothing to show.", ("fill", "#555")));
            return panel;
        }

        var (step, axisMax) = Axis(bars.Max(b => Math.Max(b.Value, b.Marker ?? 0)));
        double Y(double value) => plotBottom - value / axisMax * (plotBottom - plotTop);
        for (var tick = 0.0; tick <= axisMax + step / 2; tick += step)
        {
            panel.Add(Line(plotLeft, Y(tick), plotRight, Y(tick), tick == 0 ? "#333" : "#ddd"));
            var tickLabel = tickPrefix + tick.ToString(step >= 1 ? "#,##0" : "#,##0.###", C);
            panel.Add(Text(plotLeft - 6, Y(tick) + 4, tickLabel, ("text-anchor", "end"), ("class", "tick")));
        }
        panel.Add(Line(plotLeft, plotTop, plotLeft, plotBottom, "#333"));

        var groups = bars.Select(b => b.Group).Distinct(StringComparer.Ordinal).ToList();
        var groupWidth = (plotRight - plotLeft) / groups.Count;
        var barWidth = groupWidth * 0.8 / series.Count;
        for (var g = 0; g < groups.Count; g++)
        {
            var groupLeft = plotLeft + g * groupWidth;
            panel.Add(Text(groupLeft + groupWidth / 2, plotBottom + 18, groups[g], ("text-anchor", "middle"), ("class", "group")));
            foreach (var bar in bars.Where(b => b.Group == groups[g]))
            {
                var x = groupLeft + groupWidth * 0.1 + series.IndexOf(bar.Series) * barWidth;
                panel.Add(new XElement(Svg + "rect",
                    new XAttribute("class", "bar"),
                    new XAttribute("data-group", Clean(bar.Group)),
                    new XAttribute("data-series", Clean(bar.Series)),
                    new XAttribute("x", Number(x)),
                    new XAttribute("y", Number(Y(bar.Value))),
                    new XAttribute("width", Number(barWidth * 0.9)),
                    new XAttribute("height", Number(plotBottom - Y(bar.Value))),
                    new XAttribute("fill", Colour(bar.Series, series)),
                    new XElement(Svg + "title", Clean(bar.Tooltip))));
                if (bar.Marker is { } marker)
                {
                    var middle = x + barWidth * 0.45;
                    panel.Add(new XElement(Svg + "g", new XAttribute("class", "marker"),
                        Line(middle, Y(bar.Value), middle, Y(marker), "#111"),
                        Line(x + barWidth * 0.15, Y(marker), x + barWidth * 0.75, Y(marker), "#111", width: 2)));
                }
                if (barWidth >= MinBarWidthForLabel)
                {
                    panel.Add(Text(x + barWidth * 0.45, Y(Math.Max(bar.Value, bar.Marker ?? 0)) - 4, valueLabel(bar.Value),
                        ("text-anchor", "middle"), ("font-size", "10"), ("class", "value")));
                }
            }
        }

        var legendTop = plotTop;
        foreach (var name in series)
        {
            panel.Add(new XElement(Svg + "rect", new XAttribute("class", "legend"),
                new XAttribute("x", Number(plotRight + 20)), new XAttribute("y", Number(legendTop)),
                new XAttribute("width", "14"), new XAttribute("height", "14"), new XAttribute("fill", Colour(name, series))));
            panel.Add(Text(plotRight + 40, legendTop + 11, name));
            legendTop += 22;
        }
        if (markerLegend is not null)
        {
            panel.Add(Line(plotRight + 20, legendTop + 7, plotRight + 34, legendTop + 7, "#111", width: 2));
            panel.Add(Text(plotRight + 40, legendTop + 11, markerLegend));
        }
        return panel;
    }

    /// <summary>aot, r2r, jit first (also "aot arm64" and the like), then any other series in the order they came.</summary>
    private static List<string> Ordered(IEnumerable<string> series)
    {
        var distinct = series.Distinct(StringComparer.Ordinal).ToList();
        return distinct.OrderBy(Rank).ThenBy(distinct.IndexOf).ToList();
    }

    private static int Rank(string series) => ModeOrder.Rank(series.Split(' ')[0]);

    private static string Colour(string series, List<string> all)
    {
        var mode = series.Split(' ')[0];
        if (ModeColours.TryGetValue(mode, out var colour))
        {
            return colour;
        }
        var spare = all.FindAll(s => !ModeColours.ContainsKey(s.Split(' ')[0])).IndexOf(series);
        return SpareColours[Math.Max(spare, 0) % SpareColours.Length];
    }
}
