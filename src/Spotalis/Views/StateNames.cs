namespace Spotalis.Cli.Views;

/// <summary>Human wording and colour for the workload states.</summary>
public static class StateNames
{
    public static string Display(string state) => state switch
    {
        "BlockedByPdb" => "Blocked by PDB",
        "WaitingForWindow" => "Waiting for window",
        "ReadOnly" => "Read-only",
        "InvalidPolicy" => "Invalid policy",
        _ => state,
    };

    public static string Color(string state) => state switch
    {
        "Balanced" => "green",
        "Rebalancing" => "deepskyblue1",
        "Fallback" => "orange1",
        "BlockedByPdb" or "InvalidPolicy" => "red",
        "WaitingForWindow" or "ReadOnly" => "yellow",
        _ => "grey",
    };
}
