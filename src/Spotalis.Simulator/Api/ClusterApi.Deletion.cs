using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>Graceful deletion, finalizers, propagation policies and namespace termination.</summary>
public sealed partial class ClusterApi
{
    /// <summary>The finalizer the apiserver adds for <c>propagationPolicy: Foreground</c>; the garbage collector removes it.</summary>
    public const string ForegroundDeletionFinalizer = "foregroundDeletion";

    /// <summary>The finalizer the apiserver adds for <c>propagationPolicy: Orphan</c>; the garbage collector removes it.</summary>
    public const string OrphanFinalizer = "orphan";

    /// <inheritdoc />
    public T? Delete<T>(string? namespaceName, string name, long? gracePeriodSeconds = null, string? propagationPolicy = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        (T?)DeleteObject(ResourceRegistry.ForType(typeof(T)), namespaceName, name, gracePeriodSeconds, propagationPolicy, null, dryRun: false);

    /// <summary>Delete for any served kind, with a uid precondition and <c>dryRun</c>.</summary>
    public IKubernetesObject<V1ObjectMeta>? DeleteObject(
        ResourceType resource,
        string? namespaceName,
        string name,
        long? gracePeriodSeconds,
        string? propagationPolicy,
        string? preconditionUid,
        bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (propagationPolicy is not (null or "Background" or "Foreground" or "Orphan"))
        {
            throw new ApiException(422, "Invalid", $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{propagationPolicy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        if (gracePeriodSeconds < 0)
        {
            gracePeriodSeconds = 1;
        }

        var served = resource;
        if (resource.StoredType != resource.ModelType)
        {
            resource = ResourceRegistry.ForType(resource.StoredType);
        }

        lock (_gate)
        {
            var result = DeleteLocked(resource, resource.Namespaced ? namespaceName : null, name, gracePeriodSeconds, propagationPolicy, preconditionUid, dryRun);
            Deliver();
            return result is null ? null : EventConversion.View(served, result);
        }
    }

    private IKubernetesObject<V1ObjectMeta>? DeleteLocked(
        ResourceType resource,
        string? namespaceName,
        string name,
        long? gracePeriodSeconds,
        string? propagationPolicy,
        string? preconditionUid,
        bool dryRun)
    {
        var existing = Store(resource).Get(namespaceName, name) ?? throw NotFound(resource, name);
        if (preconditionUid is not null && preconditionUid != existing.Metadata.Uid)
        {
            throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {resource.GroupResource} \"{name}\": Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {existing.Metadata.Uid}");
        }

        if (existing is V1Namespace)
        {
            return dryRun ? existing : TerminateNamespace(name);
        }

        var copy = (IKubernetesObject<V1ObjectMeta>)KubeJson.Clone(existing, resource.ModelType);
        var meta = copy.Metadata;
        var finalizers = meta.Finalizers ?? [];
        var policyFinalizer = propagationPolicy switch
        {
            "Foreground" => ForegroundDeletionFinalizer,
            "Orphan" => OrphanFinalizer,
            _ => null,
        };
        var grace = GracePeriod(copy, gracePeriodSeconds);
        var now = Time.GetUtcNow();

        if (meta.DeletionTimestamp is not null)
        {
            // Already terminating: a shorter grace period moves the deadline forward; grace 0 finishes it.
            var changed = false;
            if (copy is V1Pod && grace < (meta.DeletionGracePeriodSeconds ?? long.MaxValue))
            {
                meta.DeletionGracePeriodSeconds = grace;
                meta.DeletionTimestamp = Seconds(now.AddSeconds(grace));
                changed = true;
            }

            if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
            {
                meta.Finalizers = [.. finalizers, policyFinalizer];
                changed = true;
            }

            if (!changed)
            {
                return existing;
            }

            return dryRun ? copy : CommitDeletion(copy);
        }

        if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
        {
            meta.Finalizers = [.. finalizers, policyFinalizer];
        }

        if ((meta.Finalizers?.Count ?? 0) > 0 || grace > 0)
        {
            meta.DeletionTimestamp = Seconds(now.AddSeconds(grace));
            meta.DeletionGracePeriodSeconds = grace;
            return dryRun ? copy : CommitDeletion(copy);
        }

        if (dryRun)
        {
            return copy;
        }

        meta.ResourceVersion = NextVersion();
        Commit(ClusterChangeType.Deleted, copy);
        return null;
    }

    private IKubernetesObject<V1ObjectMeta>? CommitDeletion(IKubernetesObject<V1ObjectMeta> copy)
    {
        var meta = copy.Metadata;
        var finished = (meta.Finalizers?.Count ?? 0) == 0 && meta.DeletionGracePeriodSeconds is null or 0;
        meta.ResourceVersion = NextVersion();
        Commit(finished ? ClusterChangeType.Deleted : ClusterChangeType.Modified, copy);
        return finished ? null : copy;
    }

    /// <summary>
    /// Pods wait for the kubelet for their grace period; pods that never reached a node or already finished go at once,
    /// as on a real apiserver. Other kinds have no grace period.
    /// </summary>
    private static long GracePeriod(IKubernetesObject<V1ObjectMeta> obj, long? requested)
    {
        if (obj is not V1Pod pod)
        {
            return 0;
        }

        if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return 0;
        }

        return requested ?? pod.Spec?.TerminationGracePeriodSeconds ?? 30;
    }

    /// <summary>
    /// Marks the namespace Terminating, removes everything in it at once (pods without waiting for their grace period,
    /// finalizers ignored) and then removes the namespace: a compressed version of the namespace controller.
    /// </summary>
    private IKubernetesObject<V1ObjectMeta>? TerminateNamespace(string name)
    {
        var ns = (V1Namespace)KubeJson.Clone(Store(typeof(V1Namespace)).Get(null, name)!, typeof(V1Namespace));
        ns.Metadata.DeletionTimestamp = Seconds(Time.GetUtcNow());
        ns.Metadata.DeletionGracePeriodSeconds = 0;
        ns.Status = new V1NamespaceStatus { Phase = "Terminating" };
        ns.Metadata.ResourceVersion = NextVersion();
        Commit(ClusterChangeType.Modified, ns);

        foreach (var store in _stores.Values.Where(s => s.Resource.Namespaced).ToList())
        {
            foreach (var item in store.ListUntyped(name))
            {
                var gone = (IKubernetesObject<V1ObjectMeta>)KubeJson.Clone(item, store.Resource.ModelType);
                gone.Metadata.ResourceVersion = NextVersion();
                Commit(ClusterChangeType.Deleted, gone);
            }
        }

        var final = KubeJson.Clone(ns);
        final.Metadata.ResourceVersion = NextVersion();
        Commit(ClusterChangeType.Deleted, final);
        return null;
    }
}
