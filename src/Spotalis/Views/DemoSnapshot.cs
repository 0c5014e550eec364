namespace Spotalis.Cli.Views;

/// <summary>What the demo's live view shows at one moment.</summary>
/// <param name="Duration">Null when the demo runs until Ctrl-C.</param>
public sealed record DemoSnapshot(
    TimeSpan Elapsed,
    TimeSpan? Duration,
    string KubeconfigPath,
    int SpotNodes,
    int OnDemandNodes,
    bool SpotOutage,
    IReadOnlyList<WorkloadStatusRow> Workloads,
    IReadOnlyList<DemoEvent> Events);
