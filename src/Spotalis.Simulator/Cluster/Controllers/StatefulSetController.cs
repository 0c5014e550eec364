using System.Globalization;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The StatefulSet controller: pods <c>name-0..N-1</c> with stable names; OrderedReady (one at a time, each
/// waiting for its predecessors to be Running and Ready) or Parallel pod management; scale-down from the highest
/// ordinal; RollingUpdate (highest ordinal first, honouring the partition) and OnDelete update strategies; the
/// <c>controller-revision-hash</c> label and <c>status.currentRevision/updateRevision</c>.
/// ControllerRevision objects and volumeClaimTemplates are not simulated.
/// </summary>
internal sealed class StatefulSetController(ControllerContext context, PodFactory podFactory) : PodOwningController<V1StatefulSet>(context, "StatefulSet")
{
    public const string RevisionLabel = "controller-revision-hash";
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    public override string Name => "statefulset-controller";

    protected override void OnOwnerDeleted(V1StatefulSet owner) => podFactory.Forget(owner.Metadata.Uid);

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var set = Context.State.GetStatefulSet(key);
        if (set?.Spec?.Template is null || set.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var name = set.Metadata.Name;
        var replicas = Math.Max(0, set.Spec.Replicas ?? 1);
        var start = set.Spec.Ordinals?.Start ?? 0;
        var parallel = set.Spec.PodManagementPolicy == "Parallel";
        var updateRevision = $"{name}-{PodTemplateHash.Compute(set.Spec.Template)}";
        var pods = new SortedDictionary<int, V1Pod>();
        foreach (var entry in Context.State.PodsControlledBy(set.Metadata.Uid))
        {
            if (Ordinal(name, entry.Pod.Metadata.Name) is { } ordinal)
            {
                pods[ordinal] = entry.Pod;
            }
        }

        var acted = await ManageAsync(set, pods, replicas, start, parallel, updateRevision, cancellationToken).ConfigureAwait(false);
        if (acted)
        {
            pods.Clear();
            foreach (var entry in Context.State.PodsControlledBy(set.Metadata.Uid))
            {
                if (Ordinal(name, entry.Pod.Metadata.Name) is { } ordinal)
                {
                    pods[ordinal] = entry.Pod;
                }
            }
        }

        UpdateStatus(key, set, pods, updateRevision);
    }

    private async Task<bool> ManageAsync(V1StatefulSet set, SortedDictionary<int, V1Pod> pods, int replicas, int start, bool parallel, string updateRevision, CancellationToken cancellationToken)
    {
        var end = start + replicas;
        var acted = false;

        // Failed pods are deleted so that they are recreated.
        foreach (var (ordinal, pod) in pods)
        {
            if (ordinal >= start && ordinal < end && PodFacts.IsFinished(pod) && !PodFacts.IsTerminating(pod))
            {
                Delete(pod);
                acted = true;
            }
        }

        // Create missing ordinals, lowest first; OrderedReady stops at the first that is not Running and Ready.
        for (var ordinal = start; ordinal < end; ordinal++)
        {
            if (pods.TryGetValue(ordinal, out var existing))
            {
                if (!parallel && (PodFacts.IsTerminating(existing) || !IsRunningAndReady(existing)))
                {
                    return acted;
                }

                continue;
            }

            await CreatePodAsync(set, ordinal, updateRevision, cancellationToken).ConfigureAwait(false);
            acted = true;
            if (!parallel)
            {
                return acted;
            }
        }

        if (!parallel && pods.Values.Any(p => PodFacts.IsTerminating(p)))
        {
            return acted;
        }

        // Scale down from the highest ordinal; OrderedReady one at a time.
        var condemned = pods.Where(p => (p.Key < start || p.Key >= end) && !PodFacts.IsTerminating(p.Value)).OrderByDescending(p => p.Key).ToList();
        foreach (var (_, pod) in condemned)
        {
            Delete(pod);
            acted = true;
            if (!parallel)
            {
                return acted;
            }
        }

        if (condemned.Count > 0 || set.Spec.UpdateStrategy?.Type == "OnDelete")
        {
            return acted;
        }

        // RollingUpdate: highest ordinal first, one pod at a time, only while every pod is Running and Ready.
        var partition = set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        var inRange = pods.Where(p => p.Key >= start && p.Key < end).ToList();
        if (inRange.Count < replicas || inRange.Any(p => PodFacts.IsTerminating(p.Value) || !IsRunningAndReady(p.Value)))
        {
            return acted;
        }

        foreach (var (ordinal, pod) in inRange.OrderByDescending(p => p.Key))
        {
            if (ordinal < partition)
            {
                break;
            }

            if (pod.GetLabel(RevisionLabel) != updateRevision)
            {
                Delete(pod);
                return true;
            }
        }

        return acted;
    }

    private async Task CreatePodAsync(V1StatefulSet set, int ordinal, string updateRevision, CancellationToken cancellationToken)
    {
        var podName = $"{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";
        var pod = podFactory.Create(set.Metadata, set.ApiVersion ?? "apps/v1", set.Kind ?? "StatefulSet", set.Spec.Template);
        pod.Metadata.Name = podName;
        pod.Metadata.Labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [RevisionLabel] = updateRevision,
            [PodNameLabel] = podName,
            [PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture),
        };
        pod.Spec.Hostname = podName;
        if (!string.IsNullOrEmpty(set.Spec.ServiceName))
        {
            pod.Spec.Subdomain = set.Spec.ServiceName;
        }

        try
        {
            await Context.Api.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.StatusCode == 409)
        {
            // The previous pod of this ordinal is still being removed; its deletion marks us dirty again.
        }
    }

    private void Delete(V1Pod pod)
    {
        try
        {
            Context.Api.Delete<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }
        catch (ApiException ex) when (ex.StatusCode == 404)
        {
            // Already gone.
        }
    }

    private void UpdateStatus(string key, V1StatefulSet set, SortedDictionary<int, V1Pod> pods, string updateRevision)
    {
        var minReadySeconds = set.Spec.MinReadySeconds ?? 0;
        var now = Context.Now;
        var currentRevision = string.IsNullOrEmpty(set.Status?.CurrentRevision) ? updateRevision : set.Status.CurrentRevision;
        int replicas = 0, current = 0, updated = 0;
        var readiness = new PodReadinessTally(minReadySeconds, now);
        foreach (var pod in pods.Values)
        {
            if (PodFacts.IsTerminating(pod))
            {
                continue;
            }

            replicas++;
            readiness.Count(pod);
            var revision = pod.GetLabel(RevisionLabel);
            current += revision == currentRevision ? 1 : 0;
            updated += revision == updateRevision ? 1 : 0;
        }

        var (ready, available) = (readiness.Ready, readiness.Available);

        // The rolling update is complete once every pod runs the update revision and is ready.
        var specReplicas = Math.Max(0, set.Spec.Replicas ?? 1);
        if (currentRevision != updateRevision && updated == specReplicas && ready == specReplicas && replicas == specReplicas)
        {
            currentRevision = updateRevision;
            current = updated;
        }

        if (readiness.NextAvailable is { } due)
        {
            WakeAt(key, due);
        }

        var generation = set.Metadata.Generation;
        Context.Api.Mutate<V1StatefulSet>(set.Metadata.NamespaceProperty, set.Metadata.Name, s =>
        {
            var status = s.Status ??= new V1StatefulSetStatus();
            if (status.Replicas == replicas && status.ReadyReplicas == ready && status.AvailableReplicas == available
                && status.CurrentReplicas == current && status.UpdatedReplicas == updated && status.CurrentRevision == currentRevision
                && status.UpdateRevision == updateRevision && status.ObservedGeneration == generation)
            {
                return false;
            }

            status.Replicas = replicas;
            status.ReadyReplicas = ready;
            status.AvailableReplicas = available;
            status.CurrentReplicas = current;
            status.UpdatedReplicas = updated;
            status.CurrentRevision = currentRevision;
            status.UpdateRevision = updateRevision;
            status.ObservedGeneration = generation;
            status.CollisionCount ??= 0;
            return true;
        });
    }

    private static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == PodFacts.Running && PodFacts.IsReady(pod);

    /// <summary>The ordinal of <paramref name="podName"/> when it is <c>setName-N</c>, else null.</summary>
    internal static int? Ordinal(string setName, string podName)
    {
        if (podName.Length <= setName.Length + 1 || !podName.StartsWith(setName, StringComparison.Ordinal) || podName[setName.Length] != '-')
        {
            return null;
        }

        var suffix = podName.AsSpan(setName.Length + 1);
        return int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : null;
    }
}
