using System.Globalization;
using System.Net;
using System.Text;

namespace Spotalis.Reporting;

/// <summary>
/// The legend of a chart, drawn inside the SVG under the plot so it travels with the chart: one entry per series
/// kind, each with a sample styled by the series' own CSS class (same colour, dash and marker as in the plot).
/// </summary>
public sealed class SvgLegend
{
    private const int RowHeight = 18;
    private const double CharWidth = 6.1;
    private readonly List<(LegendKind Kind, string CssClass, string Text)> _items = [];

    public IReadOnlyList<string> Texts => _items.Select(i => i.Text).ToList();

    /// <summary>Adds an entry unless one with the same text exists.</summary>
    public void Add(LegendKind kind, string cssClass, string text)
    {
        if (_items.All(i => i.Text != text))
        {
            _items.Add((kind, cssClass, text));
        }
    }

    /// <summary>The height the legend needs at <paramref name="width"/>.</summary>
    public int Height(int width, int left) => _items.Count == 0 ? 0 : (Layout(width, left).Max(p => p.Row) + 1) * RowHeight + 4;

    public string Render(int width, int left, int top)
    {
        if (_items.Count == 0)
        {
            return string.Empty;
        }

        var svg = new StringBuilder("<g class=\"legend\">");
        foreach (var (item, x, row) in Layout(width, left))
        {
            var y = top + (row * RowHeight) + 9;
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"legend-item\" data-label=\"{E(item.Text)}\">");
            svg.Append(item.Kind switch
            {
                LegendKind.Line => string.Create(CultureInfo.InvariantCulture, $"<line class=\"{item.CssClass}\" x1=\"{x}\" x2=\"{x + 22}\" y1=\"{y}\" y2=\"{y}\"/>"),
                LegendKind.Marker => string.Create(CultureInfo.InvariantCulture, $"<circle class=\"{item.CssClass}\" cx=\"{x + 11}\" cy=\"{y}\" r=\"4\"/>"),
                LegendKind.Tick => string.Create(CultureInfo.InvariantCulture, $"<line class=\"{item.CssClass}\" x1=\"{x + 11}\" x2=\"{x + 11}\" y1=\"{y - 6}\" y2=\"{y + 6}\"/>"),
                _ => string.Create(CultureInfo.InvariantCulture, $"<rect class=\"{item.CssClass}\" x=\"{x}\" y=\"{y - 6}\" width=\"22\" height=\"12\"/>"),
            });
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"legend-text\" x=\"{x + 27}\" y=\"{y + 4}\">{E(item.Text)}</text></g>");
        }

        return svg.Append("</g>").ToString();
    }

    private List<((LegendKind Kind, string CssClass, string Text) Item, int X, int Row)> Layout(int width, int left)
    {
        var placed = new List<((LegendKind, string, string), int, int)>();
        int x = left, row = 0;
        foreach (var item in _items)
        {
            var itemWidth = 27 + (int)Math.Ceiling(item.Text.Length * CharWidth) + 16;
            if (x + itemWidth > width && x > left)
            {
                row++;
                x = left;
            }

            placed.Add((item, x, row));
            x += itemWidth;
        }

        return placed;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
