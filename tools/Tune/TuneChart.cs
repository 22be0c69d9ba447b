using System.Globalization;
using System.Xml.Linq;
using Functions.Tools.Bench;
using static Functions.Tools.Bench.SvgParts;

namespace Functions.Tools.Tune;

/// <summary>
/// Cost and duration against memory size, one panel per function, as Power Tuning draws them: duration on the left
/// axis, cost per million on the right, the sizes evenly spaced, and the run strategy's pick marked.
/// </summary>
public static class TuneChart
{
    private const double Width = 960;
    private const double PanelHeight = 340;
    private const double Left = 80;
    private const double Right = 100;
    private const double PlotTop = 70;
    private const double PlotBottom = 60;
    private const string DurationColour = "#1565c0";
    private const string CostColour = "#ef6c00";
    private const string PickColour = "#2e7d32";

    public static string Write(TuneRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var svg = Document(Width, Math.Max(1, run.Results.Count) * PanelHeight, $"fn tune, {run.Machine}, {BenchFormat.Timestamp(run.StartedAt)}");
        for (var i = 0; i < run.Results.Count; i++)
        {
            svg.Add(Panel(run, run.Results[i], i * PanelHeight));
        }
        return new XDocument(svg).ToString();
    }

    private static XElement Panel(TuneRun run, TuneResult result, double top)
    {
        var panel = new XElement(Svg + "g");
        var plotTop = top + PlotTop;
        var plotBottom = top + PanelHeight - PlotBottom;
        var plotWidth = Width - Left - Right;
        var sizes = result.Sizes;
        var pick = result.Pick(run.Strategy, run.ColdShare);
        panel.Add(Text(Left, top + 24, $"{result.Function}: duration and cost against memory size", ("font-size", "15"), ("font-weight", "bold")));
        panel.Add(Text(Left, top + 42, $"{result.Architecture}, {result.Shaping}; {TuneStrategies.Name(run.Strategy)} picks {pick.MemoryMb.ToString(CultureInfo.InvariantCulture)} MB",
            ("fill", "#555")));
        panel.Add(Text(Left, top + 58, $"— expected duration (ms, {BenchFormat.Percent(run.ColdShare)} cold)", ("fill", DurationColour)));
        panel.Add(Text(Left + 300, top + 58, "— cost per 1M invocations ($)", ("fill", CostColour)));

        double X(int index) => sizes.Count == 1 ? Left + plotWidth / 2 : Left + index * plotWidth / (sizes.Count - 1);
        var (durationStep, durationMax) = Axis(sizes.Select(s => s.ExpectedDurationMs(run.ColdShare)).DefaultIfEmpty(0).Max());
        var (costStep, costMax) = Axis((double)sizes.Select(s => s.Cost.PerMillionRequests).DefaultIfEmpty(0).Max());
        double Y(double value, double max) => plotBottom - value / max * (plotBottom - plotTop);

        for (var tick = 0.0; tick <= durationMax + durationStep / 2; tick += durationStep)
        {
            panel.Add(Line(Left, Y(tick, durationMax), Left + plotWidth, Y(tick, durationMax), "#e0e0e0"));
            panel.Add(Text(Left - 8, Y(tick, durationMax) + 4, Number(tick), ("text-anchor", "end"), ("fill", DurationColour)));
        }
        for (var tick = 0.0; tick <= costMax + costStep / 2; tick += costStep)
        {
            panel.Add(Text(Left + plotWidth + 8, Y(tick, costMax) + 4, "$" + tick.ToString("0.####", CultureInfo.InvariantCulture), ("fill", CostColour)));
        }
        panel.Add(Line(Left, plotBottom, Left + plotWidth, plotBottom, "#333"));
        for (var i = 0; i < sizes.Count; i++)
        {
            if (sizes[i].MemoryMb == pick.MemoryMb)
            {
                panel.Add(Line(X(i), plotTop, X(i), plotBottom, PickColour, 2));
                panel.Add(Text(X(i), plotTop - 6, TuneStrategies.Name(run.Strategy), ("text-anchor", "middle"), ("fill", PickColour)));
            }
            panel.Add(Text(X(i), plotBottom + 18, $"{sizes[i].MemoryMb.ToString(CultureInfo.InvariantCulture)} MB", ("text-anchor", "middle")));
        }
        panel.Add(Text(Left + plotWidth / 2, plotBottom + 40, "memory size", ("text-anchor", "middle"), ("fill", "#555")));
        panel.Add(Series(sizes.Select((s, i) => (X(i), Y(s.ExpectedDurationMs(run.ColdShare), durationMax),
            $"{s.MemoryMb} MB: expected {BenchFormat.Ms(s.ExpectedDurationMs(run.ColdShare))} ms, warm p50 {BenchFormat.Ms(s.WarmDuration?.P50)} ms, cold total p50 {BenchFormat.Ms(s.ColdTotal?.P50)} ms")), DurationColour));
        panel.Add(Series(sizes.Select((s, i) => (X(i), Y((double)s.Cost.PerMillionRequests, costMax),
            $"{s.MemoryMb} MB: {BenchFormat.PerMillion(s.Cost.PerMillionRequests)} per 1M, {TuneTables.PerInvocation(s.CostPerInvocation)} per invocation")), CostColour));
        return panel;
    }

    /// <summary>A line through the points, each point a dot whose tooltip gives its figures.</summary>
    private static XElement Series(IEnumerable<(double X, double Y, string Tooltip)> points, string colour)
    {
        var list = points.ToList();
        var group = new XElement(Svg + "g",
            new XElement(Svg + "polyline",
                new XAttribute("points", string.Join(' ', list.Select(p => $"{Number(p.X)},{Number(p.Y)}"))),
                new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", "2")));
        foreach (var (x, y, tooltip) in list)
        {
            group.Add(new XElement(Svg + "circle", new XAttribute("cx", Number(x)), new XAttribute("cy", Number(y)), new XAttribute("r", "4"), new XAttribute("fill", colour),
                new XElement(Svg + "title", Clean(tooltip))));
        }
        return group;
    }
}
