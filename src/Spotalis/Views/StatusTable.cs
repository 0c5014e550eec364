using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Spotalis.Views;

/// <summary>The `spotalis status` table: one row per managed workload.</summary>
public static class StatusTable
{
    public static IRenderable Render(IReadOnlyList<WorkloadStatusRow> rows, bool showNamespace)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().Border(TableBorder.Simple);
        if (showNamespace)
        {
            table.AddColumn("NAMESPACE");
        }

        table.AddColumn("NAME");
        table.AddColumn("KIND");
        table.AddColumn(new TableColumn("REPLICAS").RightAligned());
        table.AddColumn(new TableColumn("SPOT %").RightAligned());
        table.AddColumn(new TableColumn("FLOOR").RightAligned());
        table.AddColumn(new TableColumn("DESIRED spot/od").Centered());
        table.AddColumn(new TableColumn("ACTUAL spot/od").Centered());
        table.AddColumn(new TableColumn("PENDING").RightAligned());
        table.AddColumn("STATE");
        table.AddColumn("REASON");
        foreach (var row in rows)
        {
            var cells = new List<IRenderable>();
            if (showNamespace)
            {
                cells.Add(new Text(row.Namespace));
            }

            var drift = row.ActualSpot != row.DesiredSpot || row.ActualOnDemand != row.DesiredOnDemand;
            cells.Add(new Text(row.Name));
            cells.Add(new Text(row.Kind));
            cells.Add(new Text(I(row.Replicas)));
            cells.Add(new Text(I(row.SpotPercentage)));
            cells.Add(new Text(I(row.MinOnDemand)));
            cells.Add(new Text($"{I(row.DesiredSpot)}/{I(row.DesiredOnDemand)}"));
            cells.Add(new Markup(drift ? $"[yellow]{I(row.ActualSpot)}/{I(row.ActualOnDemand)}[/]" : $"{I(row.ActualSpot)}/{I(row.ActualOnDemand)}"));
            cells.Add(new Markup(row.Pending > 0 ? $"[red]{I(row.Pending)}[/]" : I(row.Pending)));
            cells.Add(new Markup($"[{StateNames.Color(row.State)}]{Markup.Escape(StateNames.Display(row.State))}[/]"));
            cells.Add(new Text(row.Reason));
            table.AddRow(cells);
        }

        return table;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
