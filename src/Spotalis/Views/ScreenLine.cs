using System.Text;

namespace Spotalis.Views;

/// <summary>
/// One line of a full-screen view, built from styled pieces and cut to the screen width with an ellipsis, so that it
/// never wraps: a wrapped line would push the lines below it off a fixed-size screen.
/// </summary>
public sealed class ScreenLine
{
    private const char Ellipsis = '…';
    private readonly List<(string Text, string? Style)> _pieces = [];

    /// <summary>Appends <paramref name="text"/> (control characters become spaces) in a Spectre style such as "yellow".</summary>
    public ScreenLine Add(string text, string? style = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        _pieces.Add((OneLine(text), style));
        return this;
    }

    /// <summary>The line without styles and without cutting.</summary>
    public string Text => string.Concat(_pieces.Select(p => p.Text));

    /// <summary>The line cut to <paramref name="width"/> characters (the last one an ellipsis when cut).</summary>
    public string Plain(int width) => string.Concat(Cut(width).Select(p => p.Text));

    /// <summary>The line cut to <paramref name="width"/> characters, as Spectre markup.</summary>
    public string Markup(int width)
    {
        var markup = new StringBuilder();
        foreach (var (text, style) in Cut(width))
        {
            var escaped = Spectre.Console.Markup.Escape(text);
            markup.Append(style is null ? escaped : $"[{style}]{escaped}[/]");
        }

        return markup.ToString();
    }

    private List<(string Text, string? Style)> Cut(int width)
    {
        var room = Math.Max(0, width);
        if (Text.Length <= room)
        {
            return _pieces.Where(p => p.Text.Length > 0).ToList();
        }

        var pieces = new List<(string Text, string? Style)>();
        var left = room - 1;
        foreach (var (text, style) in _pieces)
        {
            if (left <= 0)
            {
                break;
            }

            var part = text.Length <= left ? text : text[..left];
            pieces.Add((part, style));
            left -= part.Length;
        }

        if (room > 0)
        {
            pieces.Add((Ellipsis.ToString(), null));
        }

        return pieces;
    }

    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var chars = text.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars);
    }

    public override string ToString() => Text;
}
