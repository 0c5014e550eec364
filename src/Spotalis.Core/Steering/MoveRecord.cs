using Spotalis.Core.Capacity;

namespace Spotalis.Core.Steering;

/// <summary>An eviction meant to move a pod from one capacity type to the other, awaiting its replacement.</summary>
/// <param name="PodName">The evicted pod.</param>
/// <param name="From">The capacity type it was moved away from.</param>
/// <param name="To">The capacity type the split needed.</param>
/// <param name="At">When it was evicted.</param>
/// <param name="ExistingPods">The workload's pods at the time (none of them is the replacement).</param>
public sealed record MoveRecord(string PodName, CapacityType From, CapacityType To, DateTimeOffset At, IReadOnlySet<string> ExistingPods);
