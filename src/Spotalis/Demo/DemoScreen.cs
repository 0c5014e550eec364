using System.Globalization;
using System.Text;
using Spectre.Console;
using Spotalis.Views;

namespace Spotalis.Demo;

/// <summary>
/// The demo's full-screen terminal view. It draws on the terminal's alternate screen (as k9s, top and less do), row by
/// row at fixed positions, so nothing scrolls whatever the terminal's size; disposing it restores the screen the user
/// had, where the command then prints its last words.
/// </summary>
public sealed class DemoScreen : IDisposable
{
    private const string Escape = "\u001b[";
    private const string EnterAlternateScreen = Escape + "?1049h" + Escape + "?25l" + Escape + "2J";
    private const string LeaveAlternateScreen = Escape + "?25h" + Escape + "?1049l";

    private readonly TextWriter _terminal;
    private readonly StringWriter _buffer = new();
    private readonly IAnsiConsole _renderer;
    private readonly Lock _lock = new();
    private bool _disposed;

    private DemoScreen(TextWriter terminal)
    {
        _terminal = terminal;
        _renderer = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_buffer),
            Ansi = AnsiSupport.Yes,
            ColorSystem = (ColorSystemSupport)AnsiConsole.Profile.Capabilities.ColorSystem,
        });
        _renderer.Profile.Width = int.MaxValue / 2;
    }

    /// <summary>Switches the terminal on standard output to the alternate screen and hides the cursor.</summary>
    public static DemoScreen Enter()
    {
        var screen = new DemoScreen(Console.Out);
        screen.Write(EnterAlternateScreen);
        return screen;
    }

    /// <summary>The terminal's size now (it may change between frames); 80x24 when it cannot be read.</summary>
    public static (int Width, int Height) Size()
    {
        try
        {
            var (width, height) = (Console.WindowWidth, Console.WindowHeight);
            return width > 0 && height > 0 ? (width, height) : (80, 24);
        }
        catch (IOException)
        {
            return (80, 24);
        }
    }

    public void Draw(DemoSnapshot snapshot)
    {
        var (width, height) = Size();
        Draw(DemoView.Screen(snapshot, width, height), width, height);
    }

    public void DrawStarting(string what)
    {
        var (width, height) = Size();
        Draw(DemoView.Starting(what), width, height);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _terminal.Write(LeaveAlternateScreen);
            _terminal.Flush();
        }
    }

    /// <summary>
    /// Every row is positioned, erased and written: a line is never followed by a newline, so the last row cannot
    /// scroll the screen, and no line is wider than the terminal, so none wraps.
    /// </summary>
    private void Draw(IReadOnlyList<ScreenLine> lines, int width, int height)
    {
        var frame = new StringBuilder();
        for (var row = 0; row < height; row++)
        {
            frame.Append(CultureInfo.InvariantCulture, $"{Escape}{row + 1};1H{Escape}2K");
            if (row < lines.Count)
            {
                frame.Append(Render(lines[row].Markup(width)));
            }
        }

        Write(frame.ToString());
    }

    private string Render(string markup)
    {
        _buffer.GetStringBuilder().Clear();
        _renderer.Write(new Markup(markup));
        return _buffer.ToString();
    }

    private void Write(string text)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _terminal.Write(text);
            _terminal.Flush();
        }
    }
}
