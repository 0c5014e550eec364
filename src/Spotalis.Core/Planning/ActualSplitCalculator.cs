using Spotalis.Core.Capacity;

namespace Spotalis.Core.Planning;

/// <summary>Counts a workload's pods: Failed/Succeeded pods never count, terminating pods only count as in flight.</summary>
public static class ActualSplitCalculator
{
    public static ActualSplit Compute(IReadOnlyList<PodState> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        int spot = 0, onDemand = 0, unknown = 0, pending = 0, readySpot = 0, readyOnDemand = 0, inFlight = 0;
        foreach (var pod in pods)
        {
            if (pod.Failed || pod.Succeeded)
            {
                continue;
            }

            if (pod.Terminating)
            {
                inFlight++;
                continue;
            }

            if (!pod.Scheduled)
            {
                pending++;
            }

            if (!pod.Ready)
            {
                inFlight++;
            }

            switch (pod.CapacityType)
            {
                case CapacityType.Spot:
                    spot++;
                    readySpot += pod.Ready ? 1 : 0;
                    break;
                case CapacityType.OnDemand:
                    onDemand++;
                    readyOnDemand += pod.Ready ? 1 : 0;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        return new ActualSplit(spot, onDemand, unknown, pending, readySpot, readyOnDemand, inFlight);
    }
}
