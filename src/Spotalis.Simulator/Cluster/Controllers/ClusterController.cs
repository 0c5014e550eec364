using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// What the cluster loop and the timer queue see of a controller: a name, whether work waits, change routing and one
/// round of reconciliation. The work queue itself, with its key type, is <see cref="WorkQueueController{TKey}"/>.
/// </summary>
internal abstract class ClusterController(ControllerContext context)
{
    public abstract string Name { get; }

    protected ControllerContext Context { get; } = context;

    /// <summary>True when keys are waiting. Call under the state lock.</summary>
    public abstract bool HasWork { get; }

    /// <summary>Routes one committed change to the keys it affects. Called under the state lock; must not call the API.</summary>
    public abstract void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous);

    /// <summary>Reconciles every key dirty at the time of the call, in key order. Returns how many keys were processed.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);
}
