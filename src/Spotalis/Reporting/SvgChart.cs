using System.Globalization;
using System.Net;
using System.Text;

namespace Spotalis.Reporting;

/// <summary>
/// A small hand-written SVG line/area chart over time: a plot area with axes, gridlines, step-shaped series,
/// shaded windows and event ticks, with a legend under the plot naming every kind of mark. Values hold until the
/// next sample, as replica counts do. With a percent axis the x axis is 0-100 % instead of time (sweep charts).
/// </summary>
public sealed class SvgChart
{
    private const int Left = 48;
    private const int Right = 12;
    private const int Top = 14;
    private const int Bottom = 26;

    private readonly StringBuilder _background = new();
    private readonly StringBuilder _series = new();
    private readonly StringBuilder _foreground = new();
    private readonly SvgLegend _legend = new();
    private readonly bool _percentAxis;
    private readonly int _width;
    private readonly int _height;
    private readonly double _xMax;
    private double _yMax;
    private IReadOnlyList<string>? _rows;
    private readonly string _cssClass;
    private readonly string _title;

    /// <param name="xMaxSeconds">Right end of the time axis (cluster seconds).</param>
    /// <param name="yMax">Top of the value axis; rounded up to a readable number.</param>
    /// <param name="percentAxis">True for an x axis of percentages (0 to <paramref name="xMaxSeconds"/>) instead of time.</param>
    public SvgChart(string cssClass, string title, int width, int height, double xMaxSeconds, double yMax, bool percentAxis = false)
    {
        _percentAxis = percentAxis;
        _cssClass = cssClass;
        _title = title;
        _width = width;
        _height = height;
        _xMax = Math.Max(1, xMaxSeconds);
        _yMax = NiceCeiling(Math.Max(yMax, 1));
    }

    private double PlotWidth => _width - Left - Right;

    private double PlotHeight => _height - Top - Bottom;

    /// <summary>
    /// Turns the value axis into one row per label (row 0 at the bottom), for timelines: a value of i + 0.5 is the
    /// middle of row i. Call before adding anything.
    /// </summary>
    public void UseRows(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _rows = labels;
        _yMax = Math.Max(1, labels.Count);
    }

    /// <summary>A filled rectangle in data coordinates, e.g. an outage in its pool's row of a timeline.</summary>
    public void Span(double fromSeconds, double toSeconds, double low, double high, string cssClass, string label, string legend)
    {
        _legend.Add(LegendKind.Area, cssClass, legend);
        var x1 = X(Math.Clamp(fromSeconds, 0, _xMax));
        var x2 = X(Math.Clamp(toSeconds, 0, _xMax));
        _background.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"{cssClass}\" x=\"{F(x1)}\" y=\"{F(Y(high))}\" width=\"{F(Math.Max(1, x2 - x1))}\" height=\"{F(Y(low) - Y(high))}\"><title>{Escape(label)}</title></rect>");
    }

    /// <summary>The legend entries, in the order they were added.</summary>
    public IReadOnlyList<string> LegendTexts => _legend.Texts;

    /// <summary>A shaded vertical band, e.g. an outage window; <paramref name="legend"/> names the kind in the legend.</summary>
    public void Band(double fromSeconds, double toSeconds, string cssClass, string label, string legend)
    {
        _legend.Add(LegendKind.Area, cssClass, legend);
        var x1 = X(Math.Clamp(fromSeconds, 0, _xMax));
        var x2 = X(Math.Clamp(toSeconds, 0, _xMax));
        _background.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cssClass}\" x=\"{F(x1)}\" y=\"{Top}\" width=\"{F(Math.Max(1, x2 - x1))}\" height=\"{F(PlotHeight)}\"><title>{Escape(label)}</title></rect>");
    }

    /// <summary>A vertical mark across the plot, e.g. a spot interruption; <paramref name="legend"/> names the kind in the legend.</summary>
    public void Tick(double atSeconds, string cssClass, string label, string legend)
    {
        _legend.Add(LegendKind.Tick, cssClass, legend);
        var x = X(Math.Clamp(atSeconds, 0, _xMax));
        _foreground.Append(CultureInfo.InvariantCulture, $"<line class=\"{cssClass}\" x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{Top}\" y2=\"{F(Top + PlotHeight)}\"><title>{Escape(label)}</title></line>");
    }

    /// <summary>A filled step area between <paramref name="lower"/> and <paramref name="upper"/>.</summary>
    public void Area(IReadOnlyList<int> seconds, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string cssClass, string label)
    {
        _legend.Add(LegendKind.Area, cssClass, label);
        if (seconds.Count == 0)
        {
            return;
        }

        var path = new StringBuilder();
        path.Append(CultureInfo.InvariantCulture, $"M{F(X(seconds[0]))},{F(Y(upper[0]))}");
        for (var i = 1; i < seconds.Count; i++)
        {
            path.Append(CultureInfo.InvariantCulture, $"H{F(X(seconds[i]))}V{F(Y(upper[i]))}");
        }

        path.Append(CultureInfo.InvariantCulture, $"H{F(X(_xMax))}V{F(Y(lower[^1]))}");
        for (var i = seconds.Count - 1; i >= 1; i--)
        {
            path.Append(CultureInfo.InvariantCulture, $"H{F(X(seconds[i]))}V{F(Y(lower[i - 1]))}");
        }

        path.Append(CultureInfo.InvariantCulture, $"H{F(X(seconds[0]))}Z");
        _series.Append(CultureInfo.InvariantCulture, $"<path class=\"{cssClass}\" d=\"{path}\"><title>{Escape(label)}</title></path>");
    }

    /// <summary>
    /// A step line. <paramref name="offsetPixels"/> shifts it up (negative) or down so that lines with equal values
    /// stay side by side instead of hiding each other.
    /// </summary>
    public void Line(IReadOnlyList<int> seconds, IReadOnlyList<double> values, string cssClass, string label, bool stepped = true, double offsetPixels = 0)
    {
        _legend.Add(LegendKind.Line, cssClass, label);
        if (seconds.Count == 0)
        {
            return;
        }

        var path = new StringBuilder();
        path.Append(CultureInfo.InvariantCulture, $"M{F(X(seconds[0]))},{F(Y(values[0]))}");
        for (var i = 1; i < seconds.Count; i++)
        {
            if (stepped)
            {
                path.Append(CultureInfo.InvariantCulture, $"H{F(X(seconds[i]))}V{F(Y(values[i]))}");
            }
            else
            {
                path.Append(CultureInfo.InvariantCulture, $"L{F(X(seconds[i]))},{F(Y(values[i]))}");
            }
        }

        if (stepped)
        {
            path.Append(CultureInfo.InvariantCulture, $"H{F(X(_xMax))}");
        }

        var shift = offsetPixels == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" transform=\"translate(0,{F(offsetPixels)})\"");
        _series.Append(CultureInfo.InvariantCulture, $"<path class=\"{cssClass}\" fill=\"none\"{shift} d=\"{path}\"><title>{Escape(label)}</title></path>");
    }

    /// <summary>A point marker, e.g. one sweep point; <paramref name="legend"/> names the kind in the legend.</summary>
    public void Marker(double x, double value, string cssClass, string label, string legend, double radius = 4.5, double offsetPixels = 0)
    {
        _legend.Add(LegendKind.Marker, cssClass, legend);
        _foreground.Append(CultureInfo.InvariantCulture, $"<circle class=\"{cssClass}\" cx=\"{F(X(Math.Clamp(x, 0, _xMax)))}\" cy=\"{F(Y(value) + offsetPixels)}\" r=\"{F(radius)}\"><title>{Escape(label)}</title></circle>");
    }

    /// <summary>The finished &lt;svg&gt; element with axes; <paramref name="dataAttributes"/> are added verbatim (already escaped).</summary>
    public string Render(string dataAttributes = "")
    {
        var svg = new StringBuilder();
        var height = _height + _legend.Height(_width - Right, Left);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {_cssClass}\" {dataAttributes} viewBox=\"0 0 {_width} {height}\" width=\"{_width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(_title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(_title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"plot\" x=\"{Left}\" y=\"{Top}\" width=\"{F(PlotWidth)}\" height=\"{F(PlotHeight)}\"/>");
        AppendGrid(svg);
        svg.Append(_background);
        svg.Append(_series);
        svg.Append(_foreground);
        svg.Append(_legend.Render(_width - Right, Left, _height));
        svg.Append("</svg>");
        return svg.ToString();
    }

    private void AppendGrid(StringBuilder svg)
    {
        if (_rows is { } rows)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var y = Y(i);
                svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{F(Left + PlotWidth)}\" y1=\"{F(y)}\" y2=\"{F(y)}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"row-label\" x=\"{Left + 4}\" y=\"{F(Y(i + 1) + 12)}\">{Escape(rows[i])}</text>");
            }
        }

        const int yTicks = 4;
        for (var i = 0; i <= yTicks && _rows is null; i++)
        {
            var value = _yMax * i / yTicks;
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{F(Left + PlotWidth)}\" y1=\"{F(y)}\" y2=\"{F(y)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{FormatValue(value)}</text>");
        }

        var step = _percentAxis ? 10 : TimeStep(_xMax);
        for (var t = 0.0; t <= _xMax + 0.5; t += step)
        {
            var x = X(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{Top}\" y2=\"{F(Top + PlotHeight)}\"/>");
            var label = _percentAxis ? string.Create(CultureInfo.InvariantCulture, $"{t:0} %") : FormatTime(t, step);
            var anchor = t + step > _xMax + 0.5 && _percentAxis ? "end" : "middle";
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{F(x)}\" y=\"{F(Top + PlotHeight + 16)}\" text-anchor=\"{anchor}\">{label}</text>");
        }
    }

    private double X(double seconds) => Left + (seconds / _xMax * PlotWidth);

    private double Y(double value) => Top + PlotHeight - (Math.Clamp(value, 0, _yMax) / _yMax * PlotHeight);

    private static double TimeStep(double totalSeconds)
    {
        double[] steps = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
        foreach (var step in steps)
        {
            if (totalSeconds / step <= 8)
            {
                return step;
            }
        }

        return Math.Ceiling(totalSeconds / 8 / 86400) * 86400;
    }

    private static string FormatTime(double seconds, double step) =>
        step >= 3600 ? $"{(seconds / 3600).ToString("0.#", CultureInfo.InvariantCulture)}h" : $"{(seconds / 60).ToString("0", CultureInfo.InvariantCulture)}m";

    private static string FormatValue(double value) =>
        value >= 100 || value == Math.Floor(value) ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1, 2, 2.5, 4, 5, 10 })
        {
            if (factor * magnitude >= value)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
