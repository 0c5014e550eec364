using k8s.Models;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The ready and available pods of a workload's status (available: ready for <c>minReadySeconds</c>), and when the
/// next ready pod becomes available, so the controller wakes up then.
/// </summary>
internal sealed class PodReadinessTally(int minReadySeconds, DateTime now)
{
    public int Ready { get; private set; }

    public int Available { get; private set; }

    public DateTime? NextAvailable { get; private set; }

    public void Count(V1Pod pod)
    {
        if (!PodFacts.IsReady(pod))
        {
            return;
        }

        Ready++;
        if (PodFacts.IsAvailable(pod, minReadySeconds, now))
        {
            Available++;
        }
        else if (PodFacts.AvailableAt(pod, minReadySeconds) is { } at && (NextAvailable is null || at < NextAvailable))
        {
            NextAvailable = at;
        }
    }
}
