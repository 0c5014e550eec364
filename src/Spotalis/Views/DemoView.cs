using System.Globalization;
using Spotalis.Core.Workloads;

namespace Spotalis.Views;

/// <summary>
/// The demo's screen, laid out for a terminal of a given size the way k9s does it: the header, the node line and the
/// workloads table always show; the events take the remaining height, newest last, one line each, cut to the width.
/// </summary>
public static class DemoView
{
    /// <summary>How many events the final frame (printed after the run, or when the output is not a terminal) lists.</summary>
    public const int FinalFrameEvents = 20;

    /// <summary>From this width on the table uses its long headings and shows each workload's reason.</summary>
    public const int WideWidth = 120;

    private const int NarrowObjectWidth = 16;
    private const int WideObjectWidth = 30;
    private const int ReasonWidth = 18;

    private static readonly TableColumn[] Columns =
    [
        new("WORKLOAD", "WORKLOAD", false, w => $"{w.Namespace}/{w.Name} ({(w.Kind == WorkloadKinds.StatefulSet ? "sts" : "deploy")})", _ => null),
        new("REPLICAS", "REPL", true, w => I(w.Replicas), _ => null),
        new("SPOT%/FLOOR", "SPOT%/MIN", true, w => $"{I(w.SpotPercentage)}/{I(w.MinOnDemand)}", _ => null),
        new("DESIRED spot/od", "DESIRED", true, w => $"{I(w.DesiredSpot)}/{I(w.DesiredOnDemand)}", _ => null),
        new("ACTUAL spot/od", "ACTUAL", true, w => $"{I(w.ActualSpot)}/{I(w.ActualOnDemand)}", w => Drift(w) ? "yellow" : "green"),
        new("PENDING", "PEND", true, w => I(w.Pending), w => w.Pending > 0 ? "red" : null),
        new("STATE", "STATE", false, w => StateNames.Display(w.State), w => StateNames.Color(w.State)),
    ];

    /// <summary>
    /// The live screen for a <paramref name="width"/> x <paramref name="height"/> terminal: never more lines than
    /// <paramref name="height"/> once the fixed part fits, none longer than <paramref name="width"/>.
    /// </summary>
    public static IReadOnlyList<ScreenLine> Screen(DemoSnapshot snapshot, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var lines = Fixed(snapshot, width, live: true);
        var room = height - lines.Count - 1;
        if (room <= 0)
        {
            return lines;
        }

        lines.Add(Rule(width, snapshot.Events.Count, Math.Min(room, snapshot.Events.Count)));
        lines.AddRange(EventLines(snapshot.Events.TakeLast(room).ToList(), width));
        return lines;
    }

    /// <summary>The frame printed once at the end (or for a non-terminal output): the fixed part and the newest events.</summary>
    public static IReadOnlyList<ScreenLine> Final(DemoSnapshot snapshot, int width, int events = FinalFrameEvents)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var lines = Fixed(snapshot, width, live: false);
        lines.Add(Rule(width, snapshot.Events.Count, Math.Min(events, snapshot.Events.Count)));
        lines.AddRange(EventLines(snapshot.Events.TakeLast(events).ToList(), width));
        return lines;
    }

    /// <summary>What the screen shows before the first frame.</summary>
    public static IReadOnlyList<ScreenLine> Starting(string what) =>
    [
        new ScreenLine().Add("Spotalis demo", "bold").Add("  starting: ").Add(what),
        new ScreenLine().Add("Ctrl-C stops it and removes everything it created.", "grey"),
    ];

    private static List<ScreenLine> Fixed(DemoSnapshot snapshot, int width, bool live)
    {
        var clock = snapshot.Duration is { } d ? $"{Seconds(snapshot.Elapsed)} / {Seconds(d)}" : Seconds(snapshot.Elapsed);
        var header = new ScreenLine().Add("Spotalis demo", "bold").Add("  " + clock);
        if (live && snapshot.Settling)
        {
            header.Add("  settling: waiting for every workload to be Balanced again", "yellow");
        }

        if (live)
        {
            header.Add("  (Ctrl-C to stop)", "grey");
        }

        var nodes = new ScreenLine().Add("nodes: ")
            .Add($"{I(snapshot.SpotNodes)} spot", "orange1").Add(", ")
            .Add($"{I(snapshot.OnDemandNodes)} on-demand", "deepskyblue1");
        if (snapshot.SpotOutage)
        {
            nodes.Add("  spot outage: no new spot nodes can launch", "red");
        }

        var kubeconfig = new ScreenLine().Add("kubeconfig: ").Add(snapshot.KubeconfigPath, "bold")
            .Add($"  (kubectl --kubeconfig {snapshot.KubeconfigPath} get pods -A)", "grey");
        var lines = new List<ScreenLine> { header, nodes, kubeconfig };
        lines.AddRange(WorkloadLines(snapshot.Workloads, width));
        return lines;
    }

    private static IEnumerable<ScreenLine> WorkloadLines(IReadOnlyList<WorkloadStatusRow> rows, int width)
    {
        const string gap = "  ";
        var wideWidths = Columns.Select(c => Math.Max(c.Wide.Length, rows.Select(r => c.Value(r).Length).DefaultIfEmpty(0).Max())).ToList();
        var wide = width >= WideWidth && wideWidths.Sum() + (gap.Length * (Columns.Length - 1)) <= width;
        var widths = Columns.Select(c => Math.Max(wide ? c.Wide.Length : c.Narrow.Length, rows.Select(r => c.Value(r).Length).DefaultIfEmpty(0).Max())).ToList();

        var heading = new ScreenLine();
        for (var i = 0; i < Columns.Length; i++)
        {
            var title = wide ? Columns[i].Wide : Columns[i].Narrow;
            heading.Add((i == 0 ? string.Empty : gap) + Pad(title, widths[i], Columns[i].Right), "bold");
        }

        if (wide)
        {
            heading.Add(gap + "REASON", "bold");
        }

        yield return heading;
        foreach (var row in rows)
        {
            var line = new ScreenLine();
            for (var i = 0; i < Columns.Length; i++)
            {
                line.Add(i == 0 ? string.Empty : gap);
                line.Add(Pad(Columns[i].Value(row), widths[i], Columns[i].Right), Columns[i].Style(row));
            }

            if (wide)
            {
                line.Add(gap + row.Reason, "grey");
            }

            yield return line;
        }
    }

    private static ScreenLine Rule(int width, int total, int shown)
    {
        var title = total == 0 ? "── events: none yet " : shown < total ? $"── events: newest {I(shown)} of {I(total)}, newest last " : "── events, newest last ";
        return new ScreenLine().Add(title + new string('─', Math.Max(0, width - title.Length)), "grey");
    }

    private static IEnumerable<ScreenLine> EventLines(IReadOnlyList<DemoEvent> events, int width)
    {
        var timeWidth = events.Select(e => Seconds(e.At).Length).DefaultIfEmpty(3).Max();
        var reasonWidth = Math.Min(ReasonWidth, events.Select(e => e.Reason.Length).DefaultIfEmpty(0).Max());
        var objectCap = width >= WideWidth ? WideObjectWidth : NarrowObjectWidth;
        var objectWidth = Math.Min(objectCap, events.Select(e => ShortObject(e.Subject).Length).DefaultIfEmpty(0).Max());
        foreach (var e in events)
        {
            var warning = e.Type == "Warning";
            yield return new ScreenLine()
                .Add(Pad(Seconds(e.At), timeWidth, right: true), "grey")
                .Add(" ")
                .Add(Pad(Fit(e.Reason, reasonWidth), reasonWidth, right: false), warning ? "yellow" : "green")
                .Add(" ")
                .Add(Pad(Fit(ShortObject(e.Subject), objectWidth), objectWidth, right: false), "grey")
                .Add(" ")
                .Add(e.Message);
        }
    }

    /// <summary>kubectl's short kinds, so the object column leaves room for the message.</summary>
    private static string ShortObject(string subject)
    {
        var slash = subject.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return subject;
        }

        var kind = subject[..slash] switch
        {
            WorkloadKinds.Deployment => "deploy",
            WorkloadKinds.StatefulSet => "sts",
            "Node" => "node",
            "NodePool" => "nodepool",
            "Pod" => "pod",
            var other => other,
        };
        return kind + subject[slash..];
    }

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..Math.Max(0, width - 1)] + "…";

    private static string Pad(string text, int width, bool right) => right ? text.PadLeft(width) : text.PadRight(width);

    private static bool Drift(WorkloadStatusRow w) => w.ActualSpot != w.DesiredSpot || w.ActualOnDemand != w.DesiredOnDemand;

    private static string Seconds(TimeSpan t) => $"{(int)t.TotalSeconds}s";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record TableColumn(string Wide, string Narrow, bool Right, Func<WorkloadStatusRow, string> Value, Func<WorkloadStatusRow, string?> Style);
}
