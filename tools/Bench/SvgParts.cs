using System.Globalization;
using System.Xml.Linq;

namespace Functions.Tools.Bench;

/// <summary>
/// The pieces every chart is drawn with, as XElement so every label is escaped and the document well-formed by
/// construction: text, lines, numbers written the same way, and axes at round steps.
/// </summary>
internal static class SvgParts
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>A white page of the given size with the title browsers show.</summary>
    public static XElement Document(double width, double height, string title) =>
        new(Svg + "svg",
            new XAttribute("width", Number(width)),
            new XAttribute("height", Number(height)),
            new XAttribute("viewBox", $"0 0 {Number(width)} {Number(height)}"),
            new XAttribute("font-family", "system-ui, -apple-system, 'Segoe UI', sans-serif"),
            new XAttribute("font-size", "12"),
            new XElement(Svg + "title", Clean(title)),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")));

    /// <summary>About five ticks at 1, 2 or 5 × a power of ten, the axis ending on the first tick above the highest value.</summary>
    public static (double Step, double Max) Axis(double highest)
    {
        if (!(highest > 0))
        {
            return (1, 1);
        }
        var raw = highest / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / power;
        var step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
        return (step, Math.Ceiling(highest / step) * step);
    }

    public static XElement Text(double x, double y, string text, params (string Name, string Value)[] attributes)
    {
        var element = new XElement(Svg + "text", new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), Clean(text));
        foreach (var (name, value) in attributes)
        {
            element.Add(new XAttribute(name, value));
        }
        return element;
    }

    public static XElement Line(double x1, double y1, double x2, double y2, string stroke, double width = 1) =>
        new(Svg + "line",
            new XAttribute("x1", Number(x1)), new XAttribute("y1", Number(y1)),
            new XAttribute("x2", Number(x2)), new XAttribute("y2", Number(y2)),
            new XAttribute("stroke", stroke), new XAttribute("stroke-width", Number(width)));

    public static string Number(double value) => value.ToString("0.##", C);

    /// <summary>XML cannot carry control characters at all; a name read from a log could hold one.</summary>
    public static string Clean(string text) => new(text.Select(ch => char.IsControl(ch) ? ' ' : ch).ToArray());
}
