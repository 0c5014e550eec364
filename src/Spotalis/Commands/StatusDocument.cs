using Spotalis.Cli.Views;

namespace Spotalis.Cli.Commands;

/// <summary>What `spotalis status -o json` prints: <c>{"workloads": [...]}</c>.</summary>
public sealed record StatusDocument(IReadOnlyList<WorkloadStatusRow> Workloads);
