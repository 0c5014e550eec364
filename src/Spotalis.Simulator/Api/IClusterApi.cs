using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// The simulated API server's semantics, in process. The HTTP layer and the in-process cluster controllers
/// (Deployment, ReplicaSet, StatefulSet, scheduler, kubelet, node pools, garbage collector) both go through
/// this one surface, so that admission, graceful deletion, eviction and resourceVersions behave the same
/// whoever the caller is — exactly as every real controller goes through the real apiserver.
/// </summary>
/// <remarks>
/// Objects returned by <see cref="Get{T}"/> and <see cref="List{T}"/> are the stored snapshots: callers must
/// not mutate them. Change objects with <see cref="Mutate{T}"/> (which hands the callback a private deep copy)
/// or <see cref="Update{T}"/>. Failures throw <see cref="ApiException"/> carrying the HTTP status and reason a
/// real apiserver would return.
/// </remarks>
public interface IClusterApi
{
    /// <summary>The cluster's clock: real time in end-to-end tests, an accelerated clock in what-if simulations.</summary>
    TimeProvider Time { get; }

    /// <summary>The newest committed resourceVersion (one counter for every kind).</summary>
    long CurrentResourceVersion { get; }

    /// <summary>The resources served now: the built-in kinds and those of established CustomResourceDefinitions.</summary>
    ResourceCatalog Resources { get; }

    /// <summary>The stored object of any served resource (custom ones included), or null.</summary>
    IKubernetesObject<V1ObjectMeta>? GetObject(ResourceType resource, string? namespaceName, string name);

    /// <summary>
    /// Creates an object: fills <c>uid</c>, <c>creationTimestamp</c>, <c>resourceVersion</c>, <c>generation</c> (1),
    /// and a name from <c>generateName</c>. Pods go through the mutating admission webhooks first.
    /// Throws AlreadyExists (409), Invalid (422) or NotFound (404, namespace missing).
    /// </summary>
    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>The stored object, or null.</summary>
    T? Get<T>(string? namespaceName, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Every stored object of the kind, in one namespace or (null) all of them.</summary>
    IReadOnlyList<T> List<T>(string? namespaceName = null)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Replaces an object. When <c>metadata.resourceVersion</c> is set and stale, throws Conflict (409).
    /// Bumps <c>generation</c> when the spec changes.
    /// </summary>
    T Update<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Atomic read-modify-write: <paramref name="change"/> receives a deep copy and returns false to leave the
    /// object unchanged. Returns the stored result, or null when the object does not exist.
    /// </summary>
    T? Mutate<T>(string? namespaceName, string name, Func<T, bool> change)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Deletes with real apiserver semantics: pods with a grace period get <c>deletionTimestamp</c> and
    /// <c>deletionGracePeriodSeconds</c> and stay until the kubelet finishes them (or a delete with grace 0);
    /// objects with finalizers get <c>deletionTimestamp</c> and stay until the finalizers are gone;
    /// <paramref name="propagationPolicy"/> Background, Foreground or Orphan drives garbage collection of dependents.
    /// Returns the object as it stands after the call (null when it is gone). Throws NotFound.
    /// </summary>
    T? Delete<T>(string? namespaceName, string name, long? gracePeriodSeconds = null, string? propagationPolicy = null)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// The policy/v1 Eviction subresource: checks every PodDisruptionBudget that selects the pod and throws
    /// TooManyRequests (429) with the real message when one would be broken; otherwise deletes gracefully.
    /// </summary>
    void Evict(string namespaceName, string podName, long? gracePeriodSeconds = null);

    /// <summary>
    /// Calls <paramref name="onChange"/> synchronously after every committed change (any kind), in commit order.
    /// In-process controllers use it to mark work dirty. Dispose to unsubscribe.
    /// </summary>
    IDisposable Subscribe(Action<ClusterChange> onChange);
}
