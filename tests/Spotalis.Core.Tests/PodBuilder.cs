using Spotalis.Core.Capacity;
using Spotalis.Core.Planning;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

/// <summary>Short-hand for pod states in planner tests: Ready, scheduled, current revision unless told otherwise.</summary>
internal static class PodBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static PodState Spot(string name, int ageMinutes = 10) => Pod(name, CapacityType.Spot, ageMinutes);

    public static PodState OnDemand(string name, int ageMinutes = 10) => Pod(name, CapacityType.OnDemand, ageMinutes);

    public static PodState Pod(string name, CapacityType? type, int ageMinutes = 10, int? ordinal = null) =>
        new(name, type, Ready: true, Scheduled: true, Failed: false, Succeeded: false, Terminating: false, NodeLeaving: false,
            DoNotDisrupt: false, CreatedAt: Now.AddMinutes(-ageMinutes), Ordinal: ordinal, CurrentRevision: true);

    public static PodState NotReady(this PodState pod) => pod with { Ready = false };

    public static PodState Pending(this PodState pod) => pod with { Ready = false, Scheduled = false };

    public static PodState Leaving(this PodState pod) => pod with { NodeLeaving = true };

    public static PodState OldRevision(this PodState pod) => pod with { CurrentRevision = false };

    public static PodState Protected(this PodState pod) => pod with { DoNotDisrupt = true };

    public static PodState Terminating(this PodState pod) => pod with { Terminating = true };

    public static PodState Failed(this PodState pod) => pod with { Failed = true, Ready = false };

    public static PodState Succeeded(this PodState pod) => pod with { Succeeded = true, Ready = false };

    public static PlanningContext Context(int spot, int onDemand, int floor = 0, int budget = 1) =>
        new(new DesiredSplit(spot, onDemand), floor, budget, IsStatefulSet: false, ReadOnly: false, WindowOpen: true, Now,
            LastDisruptionAt: null, Cooldown: TimeSpan.FromSeconds(30), RolloutInProgress: false);
}
