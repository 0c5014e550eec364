using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Spotalis.Cli.Views;

/// <summary>The demo's live screen: cluster line, per-workload split table, and the latest events.</summary>
public static class DemoView
{
    public const int VisibleEvents = 12;

    public static IRenderable Render(DemoSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var clock = snapshot.Duration is { } d ? $"{Seconds(snapshot.Elapsed)} / {Seconds(d)}" : $"{Seconds(snapshot.Elapsed)} (Ctrl-C to stop)";
        var outage = snapshot.SpotOutage ? "  [red]spot outage in progress[/]" : string.Empty;
        var header = new Markup(
            $"[bold]Spotalis demo[/]  {clock}\n" +
            $"nodes: [orange1]{snapshot.SpotNodes} spot[/], [deepskyblue1]{snapshot.OnDemandNodes} on-demand[/]{outage}\n" +
            $"kubeconfig: [grey]{Markup.Escape(snapshot.KubeconfigPath)}[/]  (kubectl --kubeconfig {Markup.Escape(snapshot.KubeconfigPath)} get pods -A)");

        var table = new Table().Border(TableBorder.Rounded).Title("workloads");
        table.AddColumn("WORKLOAD");
        table.AddColumn(new TableColumn("REPLICAS").RightAligned());
        table.AddColumn(new TableColumn("SPOT%/FLOOR").Centered());
        table.AddColumn(new TableColumn("DESIRED spot/od").Centered());
        table.AddColumn(new TableColumn("ACTUAL spot/od").Centered());
        table.AddColumn(new TableColumn("PENDING").RightAligned());
        table.AddColumn("STATE");
        foreach (var w in snapshot.Workloads)
        {
            var drift = w.ActualSpot != w.DesiredSpot || w.ActualOnDemand != w.DesiredOnDemand;
            table.AddRow(
                new Text($"{w.Namespace}/{w.Name} ({(w.Kind == "StatefulSet" ? "sts" : "deploy")})"),
                new Text(I(w.Replicas)),
                new Text($"{I(w.SpotPercentage)}/{I(w.MinOnDemand)}"),
                new Text($"{I(w.DesiredSpot)}/{I(w.DesiredOnDemand)}"),
                new Markup(drift ? $"[yellow]{I(w.ActualSpot)}/{I(w.ActualOnDemand)}[/]" : $"[green]{I(w.ActualSpot)}/{I(w.ActualOnDemand)}[/]"),
                new Markup(w.Pending > 0 ? $"[red]{I(w.Pending)}[/]" : "0"),
                new Markup($"[{StateNames.Color(w.State)}]{Markup.Escape(StateNames.Display(w.State))}[/]"));
        }

        var events = new Table().Border(TableBorder.Rounded).Title("events (newest last)").Expand();
        events.AddColumn(new TableColumn("TIME").RightAligned());
        events.AddColumn("TYPE");
        events.AddColumn("REASON");
        events.AddColumn("OBJECT");
        events.AddColumn("MESSAGE");
        foreach (var e in snapshot.Events.TakeLast(VisibleEvents))
        {
            events.AddRow(
                new Text(Seconds(e.At)),
                new Markup(e.Type == "Warning" ? "[yellow]Warning[/]" : "Normal"),
                new Text(e.Reason),
                new Text(e.Subject),
                new Text(e.Message));
        }

        if (snapshot.Events.Count == 0)
        {
            events.AddRow(new Text(string.Empty), new Text(string.Empty), new Text("(waiting for events)"), new Text(string.Empty), new Text(string.Empty));
        }

        return new Rows(header, table, events);
    }

    private static string Seconds(TimeSpan t) => $"{(int)t.TotalSeconds}s";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
