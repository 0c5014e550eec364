using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The garbage collector, driven by <c>ownerReferences</c>: dependents of an owner that no longer exists are
/// deleted (background); an owner being deleted with the <c>foregroundDeletion</c> finalizer has its dependents
/// deleted and keeps the finalizer until no blocking dependent remains; an owner with the <c>orphan</c> finalizer
/// has its references removed from its dependents before the finalizer goes. Owners of kinds the simulator does not
/// know are assumed to exist.
/// </summary>
internal sealed class GarbageCollector(ControllerContext context) : WorkQueueController<string>(context, StringComparer.Ordinal)
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";
    private const string OwnerGonePrefix = "owner:";
    private const string DeletingPrefix = "deleting:";

    public override string Name => "garbage-collector";

    public override void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous)
    {
        var metadata = obj.Metadata;
        var uid = metadata.Uid;
        if (type == ClusterChangeType.Deleted)
        {
            if (Context.State.HasDependents(uid))
            {
                MarkDirty(OwnerGonePrefix + uid);
            }
        }
        else if (metadata.DeletionTimestamp is not null && metadata.Finalizers is { } finalizers
            && (finalizers.Contains(ForegroundFinalizer) || finalizers.Contains(OrphanFinalizer)))
        {
            MarkDirty(DeletingPrefix + uid);
        }

        if (metadata.OwnerReferences is not null)
        {
            foreach (var owner in metadata.OwnerReferences)
            {
                var known = Context.State.GetByUid(owner.Uid);
                if (known is null)
                {
                    MarkDirty(OwnerGonePrefix + owner.Uid);
                }
                else if (known.Metadata.DeletionTimestamp is not null)
                {
                    MarkDirty(DeletingPrefix + owner.Uid);
                }
            }
        }
    }

    protected override Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (key.StartsWith(OwnerGonePrefix, StringComparison.Ordinal))
        {
            CollectOrphanedDependents(key[OwnerGonePrefix.Length..]);
        }
        else if (key.StartsWith(DeletingPrefix, StringComparison.Ordinal))
        {
            FinishDeletion(key[DeletingPrefix.Length..]);
        }

        return Task.CompletedTask;
    }

    private void CollectOrphanedDependents(string ownerUid)
    {
        if (Context.State.Exists(ownerUid))
        {
            return;
        }

        foreach (var dependent in Context.State.DependentsOf(ownerUid))
        {
            var reference = dependent.Metadata.OwnerReferences?.FirstOrDefault(o => o.Uid == ownerUid);
            if (reference is null || dependent.Metadata.DeletionTimestamp is not null || OwnerStillExists(reference, dependent))
            {
                continue;
            }

            var otherLiveOwner = dependent.Metadata.OwnerReferences!.Any(o => o.Uid != ownerUid && OwnerStillExists(o, dependent));
            var api = TypedApi.For(dependent.GetType());
            if (otherLiveOwner)
            {
                api.Mutate(Context.Api, dependent.Metadata.NamespaceProperty, dependent.Metadata.Name, d => RemoveOwnerReference(d, ownerUid));
            }
            else
            {
                api.Delete(Context.Api, dependent.Metadata.NamespaceProperty, dependent.Metadata.Name, "Background");
            }
        }
    }

    private void FinishDeletion(string uid)
    {
        var obj = Context.State.GetByUid(uid);
        if (obj?.Metadata.DeletionTimestamp is null || obj.Metadata.Finalizers is null)
        {
            return;
        }

        var api = TypedApi.For(obj.GetType());
        var dependents = Context.State.DependentsOf(uid);
        if (obj.Metadata.Finalizers.Contains(OrphanFinalizer))
        {
            foreach (var dependent in dependents)
            {
                TypedApi.For(dependent.GetType()).Mutate(Context.Api, dependent.Metadata.NamespaceProperty, dependent.Metadata.Name, d => RemoveOwnerReference(d, uid));
            }

            api.Mutate(Context.Api, obj.Metadata.NamespaceProperty, obj.Metadata.Name, o => o.Metadata.Finalizers?.Remove(OrphanFinalizer) == true);
            return;
        }

        if (!obj.Metadata.Finalizers.Contains(ForegroundFinalizer))
        {
            return;
        }

        var blocking = 0;
        foreach (var dependent in dependents)
        {
            var reference = dependent.Metadata.OwnerReferences?.FirstOrDefault(o => o.Uid == uid);
            if (reference?.BlockOwnerDeletion == true)
            {
                blocking++;
            }

            if (dependent.Metadata.DeletionTimestamp is null)
            {
                var policy = Context.State.HasDependents(dependent.Metadata.Uid) ? "Foreground" : "Background";
                TypedApi.For(dependent.GetType()).Delete(Context.Api, dependent.Metadata.NamespaceProperty, dependent.Metadata.Name, policy);
            }
        }

        if (blocking == 0)
        {
            api.Mutate(Context.Api, obj.Metadata.NamespaceProperty, obj.Metadata.Name, o => o.Metadata.Finalizers?.Remove(ForegroundFinalizer) == true);
        }
    }

    // Confirms with the API (not only the cache) before anything is deleted, as the real collector does.
    private bool OwnerStillExists(V1OwnerReference reference, IKubernetesObject<V1ObjectMeta> dependent)
    {
        if (Context.State.Exists(reference.Uid))
        {
            return true;
        }

        var ownerType = KindRegistry.Resolve(reference.ApiVersion, reference.Kind);
        if (ownerType is null)
        {
            return true;
        }

        try
        {
            var live = TypedApi.For(ownerType).Get(Context.Api, KindRegistry.OwnerNamespace(ownerType, dependent), reference.Name);
            return live is not null && live.Metadata.Uid == reference.Uid;
        }
        catch (ApiException ex) when (ex.StatusCode is 404 or 405)
        {
            return false;
        }
    }

    private static bool RemoveOwnerReference(IKubernetesObject<V1ObjectMeta> obj, string ownerUid)
    {
        var references = obj.Metadata.OwnerReferences;
        if (references is null)
        {
            return false;
        }

        var removed = 0;
        for (var i = references.Count - 1; i >= 0; i--)
        {
            if (references[i].Uid == ownerUid)
            {
                references.RemoveAt(i);
                removed++;
            }
        }

        if (references.Count == 0)
        {
            obj.Metadata.OwnerReferences = null;
        }

        return removed > 0;
    }
}
