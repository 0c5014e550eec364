namespace Spotalis.Views;

/// <summary>Human wording and colour for the workload states.</summary>
public static class StateNames
{
    public static string Display(string state) => state switch
    {
        "BlockedByPdb" => "Blocked by PDB",
        "WaitingForWindow" => "Waiting for window",
        "WaitingForCapacity" => "Waiting for capacity",
        "PlacementNotSteered" => "Placement not steered",
        "ReadOnly" => "Read-only",
        "InvalidPolicy" => "Invalid policy",
        _ => state,
    };

    public static string Color(string state) => state switch
    {
        "Balanced" => "green",
        "Rebalancing" => "deepskyblue1",
        "Fallback" => "orange1",
        "BlockedByPdb" or "InvalidPolicy" or "PlacementNotSteered" => "red",
        "WaitingForWindow" or "ReadOnly" or "WaitingForCapacity" => "yellow",
        _ => "grey",
    };
}
