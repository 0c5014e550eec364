namespace Spotalis.Views;

/// <summary>What the demo's live view shows at one moment.</summary>
/// <param name="Elapsed">Time since the command started (cluster and operator startup included).</param>
/// <param name="Duration">Null when the demo runs until Ctrl-C.</param>
/// <param name="Settling">The duration has passed and the demo waits for every workload to be Balanced again.</param>
public sealed record DemoSnapshot(
    TimeSpan Elapsed,
    TimeSpan? Duration,
    string KubeconfigPath,
    int SpotNodes,
    int OnDemandNodes,
    bool SpotOutage,
    IReadOnlyList<WorkloadStatusRow> Workloads,
    IReadOnlyList<DemoEvent> Events,
    bool Settling = false);
