using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The ReplicaSet controller: keeps <c>spec.replicas</c> active pods (creating them from the template with
/// <c>generateName</c>, deleting the lowest-ranked ones on scale-down) and keeps the status counts current.
/// Pods are matched by their controller owner reference (adoption of orphans is not simulated).
/// </summary>
internal sealed class ReplicaSetController(ControllerContext context, PodFactory podFactory) : PodOwningController<V1ReplicaSet>(context, "ReplicaSet")
{
    public override string Name => "replicaset-controller";

    protected override void OnOwnerDeleted(V1ReplicaSet owner) => podFactory.Forget(owner.Metadata.Uid);

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var replicaSet = Context.State.GetReplicaSet(key);
        if (replicaSet is null)
        {
            return;
        }

        var metadata = replicaSet.Metadata;
        var desired = Math.Max(0, replicaSet.Spec?.Replicas ?? 1);
        var pods = Context.State.PodsControlledBy(metadata.Uid);
        var active = pods.Where(p => PodFacts.IsActive(p.Pod)).ToList();
        var diff = active.Count - desired;

        if (metadata.DeletionTimestamp is null && replicaSet.Spec?.Template is { } template)
        {
            if (diff < 0)
            {
                for (var i = 0; i < -diff; i++)
                {
                    var pod = podFactory.Create(metadata, replicaSet.ApiVersion ?? "apps/v1", replicaSet.Kind ?? "ReplicaSet", template);
                    pod.Metadata.GenerateName = GeneratePrefix(metadata.Name);
                    await Context.Api.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (diff > 0)
            {
                DeleteSurplus(replicaSet, active, diff);
            }
        }

        UpdateStatus(key, replicaSet);
    }

    private void DeleteSurplus(V1ReplicaSet replicaSet, List<PodEntry> active, int count)
    {
        var related = RelatedPodsPerNode(replicaSet, active);
        var victims = PodDeletionRanking.Order(active.Select(p => p.Pod), related, Context.Now).Take(count);
        foreach (var victim in victims)
        {
            try
            {
                Context.Api.Delete<V1Pod>(victim.Metadata.NamespaceProperty, victim.Metadata.Name);
            }
            catch (ApiException ex) when (ex.StatusCode == 404)
            {
                // Already gone.
            }
        }
    }

    // Active pods of this ReplicaSet and of its siblings (same controller) per node: the "doubled up" rank.
    private Dictionary<string, int> RelatedPodsPerNode(V1ReplicaSet replicaSet, List<PodEntry> active)
    {
        var related = active;
        if (PodFacts.ControllerOf(replicaSet.Metadata) is { } owner)
        {
            related = [.. Context.State.ReplicaSetsControlledBy(owner.Uid)
                .SelectMany(rs => Context.State.PodsControlledBy(rs.Metadata.Uid))
                .Where(p => PodFacts.IsActive(p.Pod))];
        }

        var perNode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in related)
        {
            if (entry.NodeName is not null)
            {
                perNode[entry.NodeName] = perNode.GetValueOrDefault(entry.NodeName) + 1;
            }
        }

        return perNode;
    }

    private void UpdateStatus(string key, V1ReplicaSet replicaSet)
    {
        var metadata = replicaSet.Metadata;
        var minReadySeconds = replicaSet.Spec?.MinReadySeconds ?? 0;
        var now = Context.Now;
        var templateLabels = replicaSet.Spec?.Template?.Metadata?.Labels;
        int replicas = 0, fullyLabeled = 0;
        var readiness = new PodReadinessTally(minReadySeconds, now);
        foreach (var entry in Context.State.PodsControlledBy(metadata.Uid))
        {
            var pod = entry.Pod;
            if (!PodFacts.IsActive(pod))
            {
                continue;
            }

            replicas++;
            if (templateLabels is null || templateLabels.All(l => pod.Metadata.Labels is not null && pod.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            {
                fullyLabeled++;
            }

            readiness.Count(pod);
        }

        var (ready, available) = (readiness.Ready, readiness.Available);
        if (readiness.NextAvailable is { } due)
        {
            WakeAt(key, due);
        }

        var generation = metadata.Generation;
        Context.Api.Mutate<V1ReplicaSet>(metadata.NamespaceProperty, metadata.Name, rs =>
        {
            var status = rs.Status ??= new V1ReplicaSetStatus();
            if (status.Replicas == replicas && status.FullyLabeledReplicas == fullyLabeled && status.ReadyReplicas == ready
                && status.AvailableReplicas == available
                && status.ObservedGeneration == generation)
            {
                return false;
            }

            status.Replicas = replicas;
            status.FullyLabeledReplicas = fullyLabeled;
            status.ReadyReplicas = ready;
            status.AvailableReplicas = available;
            status.ObservedGeneration = generation;
            return true;
        });
    }

    // Upstream truncates long prefixes so that generated names stay valid.
    private static string GeneratePrefix(string name) => (name.Length > 57 ? name[..57] : name) + "-";
}
