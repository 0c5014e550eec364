using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// A controller that owns pods directly (ReplicaSet, StatefulSet): a change of the owner, or of any pod whose
/// controller reference names the owner's kind, marks that owner for reconciliation.
/// </summary>
internal abstract class PodOwningController<TOwner>(ControllerContext context, string ownerKind) : WorkQueueController<string>(context, StringComparer.Ordinal)
    where TOwner : class, IKubernetesObject<V1ObjectMeta>
{
    public sealed override void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous)
    {
        switch (obj)
        {
            case TOwner owner when type == ClusterChangeType.Deleted:
                OnOwnerDeleted(owner);
                break;
            case TOwner owner:
                MarkDirty(ObjectKey.Of(owner.Metadata.NamespaceProperty, owner.Metadata.Name));
                break;
            case V1Pod pod when PodFacts.ControllerOf(pod.Metadata) is { } controller && controller.Kind == ownerKind:
                MarkDirty(ObjectKey.Of(pod.Metadata.NamespaceProperty, controller.Name));
                break;
        }
    }

    /// <summary>The owner is gone: drop whatever the controller remembers about it.</summary>
    protected abstract void OnOwnerDeleted(TOwner owner);
}
