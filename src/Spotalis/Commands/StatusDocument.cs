using Spotalis.Views;

namespace Spotalis.Commands;

/// <summary>What `spotalis status -o json` prints: <c>{"workloads": [...]}</c>.</summary>
public sealed record StatusDocument(IReadOnlyList<WorkloadStatusRow> Workloads);
