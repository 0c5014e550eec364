using System.Globalization;
using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Matching;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The Deployment controller: one ReplicaSet per pod-template-hash, RollingUpdate (maxSurge/maxUnavailable) and
/// Recreate strategies, scaling, revision history, and a status (observedGeneration, replica counts, Available
/// and Progressing conditions) that <c>kubectl rollout status</c> reads.
/// It mirrors the upstream Deployment controller's sync loop, whose steps (scale, roll out, clean up) read and write
/// the same ReplicaSet set within one reconciliation; the status it writes last is in DeploymentController.Status.cs.
/// </summary>
internal sealed partial class DeploymentController(ControllerContext context) : WorkQueueController<string>(context, StringComparer.Ordinal)
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    public override string Name => "deployment-controller";

    public override void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous)
    {
        switch (obj)
        {
            case V1Deployment deployment when type != ClusterChangeType.Deleted:
                MarkDirty(ObjectKey.Of(deployment.Metadata.NamespaceProperty, deployment.Metadata.Name));
                break;
            case V1ReplicaSet replicaSet when PodFacts.ControllerOf(replicaSet.Metadata) is { Kind: "Deployment" } owner:
                MarkDirty(ObjectKey.Of(replicaSet.Metadata.NamespaceProperty, owner.Name));
                break;
            case V1Pod pod when type == ClusterChangeType.Deleted && PodFacts.ControllerOf(pod.Metadata) is { Kind: "ReplicaSet" } rsRef:
                // Recreate waits until every old pod is gone: a pod's final removal can matter without changing RS status.
                var rs = Context.State.GetReplicaSet(ObjectKey.Of(pod.Metadata.NamespaceProperty, rsRef.Name));
                if (rs is not null && PodFacts.ControllerOf(rs.Metadata) is { Kind: "Deployment" } deploymentRef)
                {
                    MarkDirty(ObjectKey.Of(pod.Metadata.NamespaceProperty, deploymentRef.Name));
                }

                break;
        }
    }

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var deployment = Context.State.GetDeployment(key);
        if (deployment is null || deployment.Metadata.DeletionTimestamp is not null || deployment.Spec?.Template is null)
        {
            return;
        }

        var plan = new RolloutState(deployment, Context.State.ReplicaSetsControlledBy(deployment.Metadata.Uid));
        var createdNew = false;
        var scaled = false;
        if (deployment.Spec.Paused != true)
        {
            if (plan.NewReplicaSet is null)
            {
                plan.NewReplicaSet = await CreateNewReplicaSetAsync(deployment, plan, cancellationToken).ConfigureAwait(false);
                createdNew = true;
            }
            else
            {
                EnsureNewestRevision(plan);
            }

            scaled = deployment.Spec.Strategy?.Type == "Recreate"
                ? Recreate(deployment, plan)
                : RollingUpdate(deployment, plan);
            CleanupHistory(deployment, plan);
        }

        UpdateStatus(key, deployment, plan, createdNew, scaled);
    }

    private async Task<V1ReplicaSet> CreateNewReplicaSetAsync(V1Deployment deployment, RolloutState plan, CancellationToken cancellationToken)
    {
        var metadata = deployment.Metadata;
        var spec = deployment.Spec;
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [PodTemplateHash.LabelKey] = plan.Hash,
        };
        var selector = KubernetesJson.Deserialize<V1LabelSelector>(KubernetesJson.Serialize(spec.Selector));
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [PodTemplateHash.LabelKey] = plan.Hash,
        };

        var replicas = Desired(deployment);
        var (maxSurge, _) = Limits(deployment);
        var initial = spec.Strategy?.Type == "Recreate"
            ? 0
            : Math.Clamp(replicas + maxSurge - plan.TotalSpecReplicas, 0, replicas);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RevisionAnnotation] = (plan.MaxOldRevision + 1).ToString(CultureInfo.InvariantCulture),
            [DesiredReplicasAnnotation] = replicas.ToString(CultureInfo.InvariantCulture),
            [MaxReplicasAnnotation] = (replicas + maxSurge).ToString(CultureInfo.InvariantCulture),
        };
        var replicaSet = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{metadata.Name}-{plan.Hash}",
                NamespaceProperty = metadata.NamespaceProperty,
                Labels = template.Metadata.Labels,
                Annotations = annotations,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "apps/v1",
                        Kind = "Deployment",
                        Name = metadata.Name,
                        Uid = metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = initial,
                MinReadySeconds = spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };

        try
        {
            return await Context.Api.CreateAsync(replicaSet, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.StatusCode == 409)
        {
            // A ReplicaSet of that name exists: ours when it carries our uid; otherwise a hash collision we do not resolve.
            var existing = Context.Api.Get<V1ReplicaSet>(metadata.NamespaceProperty, replicaSet.Metadata.Name);
            if (existing is not null && PodFacts.ControllerOf(existing.Metadata)?.Uid == metadata.Uid)
            {
                return existing;
            }

            throw;
        }
    }

    // Rolling back to an old template reuses its ReplicaSet, which then becomes the newest revision.
    private void EnsureNewestRevision(RolloutState plan)
    {
        var newRs = plan.NewReplicaSet!;
        if (Revision(newRs) > plan.MaxOldRevision)
        {
            return;
        }

        var next = (plan.MaxOldRevision + 1).ToString(CultureInfo.InvariantCulture);
        plan.NewReplicaSet = Context.Api.Mutate<V1ReplicaSet>(newRs.Metadata.NamespaceProperty, newRs.Metadata.Name, rs =>
        {
            rs.Metadata.Annotations ??= new Dictionary<string, string>();
            rs.Metadata.Annotations[RevisionAnnotation] = next;
            return true;
        }) ?? newRs;
    }

    private bool Recreate(V1Deployment deployment, RolloutState plan)
    {
        var scaled = false;
        foreach (var old in plan.OldReplicaSets)
        {
            scaled |= Scale(deployment, plan, old, 0);
        }

        if (scaled)
        {
            return true;
        }

        // Only when no old pod remains (not even a terminating one) does the new ReplicaSet come up.
        var oldPodsRemain = plan.OldReplicaSets.Any(rs => Context.State.PodsControlledBy(rs.Metadata.Uid).Any(p => !PodFacts.IsFinished(p.Pod)));
        return !oldPodsRemain && Scale(deployment, plan, plan.NewReplicaSet!, Desired(deployment));
    }

    private bool RollingUpdate(V1Deployment deployment, RolloutState plan)
    {
        var replicas = Desired(deployment);
        var (maxSurge, maxUnavailable) = Limits(deployment);
        var newRs = plan.NewReplicaSet!;
        var scaled = false;

        // Scale up the new ReplicaSet within maxSurge (or down when the deployment was scaled down).
        var newReplicas = plan.SpecReplicas(newRs);
        if (newReplicas > replicas)
        {
            scaled |= Scale(deployment, plan, newRs, replicas);
        }
        else
        {
            var room = replicas + maxSurge - plan.TotalSpecReplicas;
            if (room > 0)
            {
                scaled |= Scale(deployment, plan, newRs, Math.Min(newReplicas + room, replicas));
            }
        }

        // Scale down old ReplicaSets without dropping below replicas - maxUnavailable available pods.
        var olds = plan.OldReplicaSets.Where(rs => plan.SpecReplicas(rs) > 0)
            .OrderBy(rs => rs.Metadata.CreationTimestamp).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal).ToList();
        if (olds.Count == 0)
        {
            return scaled;
        }

        var minAvailable = replicas - maxUnavailable;
        var newUnavailable = plan.SpecReplicas(newRs) - (newRs.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = plan.TotalSpecReplicas - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return scaled;
        }

        // First the old pods that are not available anyway.
        var cleaned = 0;
        foreach (var old in olds)
        {
            if (cleaned >= maxScaledDown)
            {
                break;
            }

            var current = plan.SpecReplicas(old);
            var unhealthy = current - (old.Status?.AvailableReplicas ?? 0);
            if (unhealthy <= 0)
            {
                continue;
            }

            var by = Math.Min(unhealthy, maxScaledDown - cleaned);
            scaled |= Scale(deployment, plan, old, current - by);
            cleaned += by;
        }

        // Then available old pods, as far as the availability floor allows.
        var availableTotal = plan.All.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var budget = Math.Min(availableTotal - minAvailable, maxScaledDown - cleaned);
        foreach (var old in olds)
        {
            if (budget <= 0)
            {
                break;
            }

            var current = plan.SpecReplicas(old);
            if (current == 0)
            {
                continue;
            }

            var by = Math.Min(current, budget);
            scaled |= Scale(deployment, plan, old, current - by);
            budget -= by;
        }

        return scaled;
    }

    private bool Scale(V1Deployment deployment, RolloutState plan, V1ReplicaSet replicaSet, int replicas)
    {
        if (plan.SpecReplicas(replicaSet) == replicas)
        {
            return false;
        }

        var desired = Desired(deployment).ToString(CultureInfo.InvariantCulture);
        var max = (Desired(deployment) + Limits(deployment).MaxSurge).ToString(CultureInfo.InvariantCulture);
        var updated = Context.Api.Mutate<V1ReplicaSet>(replicaSet.Metadata.NamespaceProperty, replicaSet.Metadata.Name, rs =>
        {
            rs.Spec.Replicas = replicas;
            rs.Metadata.Annotations ??= new Dictionary<string, string>();
            rs.Metadata.Annotations[DesiredReplicasAnnotation] = desired;
            rs.Metadata.Annotations[MaxReplicasAnnotation] = max;
            return true;
        });
        plan.SetSpecReplicas(replicaSet, replicas);
        return updated is not null;
    }

    private void CleanupHistory(V1Deployment deployment, RolloutState plan)
    {
        var limit = deployment.Spec.RevisionHistoryLimit ?? 10;
        var removable = plan.OldReplicaSets
            .Where(rs => plan.SpecReplicas(rs) == 0 && (rs.Status?.Replicas ?? 0) == 0 && rs.Metadata.DeletionTimestamp is null
                && Context.State.PodsControlledBy(rs.Metadata.Uid).Count == 0)
            .OrderBy(Revision).ToList();
        for (var i = 0; i < removable.Count - limit; i++)
        {
            Context.Api.Delete<V1ReplicaSet>(removable[i].Metadata.NamespaceProperty, removable[i].Metadata.Name);
        }
    }

    private static int Desired(V1Deployment deployment) => Math.Max(0, deployment.Spec.Replicas ?? 1);

    /// <summary>maxSurge rounds up, maxUnavailable down; both default to 25%, and both zero means one unavailable.</summary>
    internal static (int MaxSurge, int MaxUnavailable) Limits(V1Deployment deployment)
    {
        if (deployment.Spec.Strategy?.Type == "Recreate")
        {
            return (0, Desired(deployment));
        }

        var replicas = Desired(deployment);
        var rolling = deployment.Spec.Strategy?.RollingUpdate;
        var surge = IntOrPercent.Resolve(rolling?.MaxSurge, replicas, roundUp: true, fallback: (replicas * 25 + 99) / 100);
        var unavailable = IntOrPercent.Resolve(rolling?.MaxUnavailable, replicas, roundUp: false, fallback: replicas * 25 / 100);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, Math.Min(unavailable, replicas));
    }

    internal static long Revision(V1ReplicaSet replicaSet) =>
        replicaSet.Metadata.Annotations is not null
        && replicaSet.Metadata.Annotations.TryGetValue(RevisionAnnotation, out var text)
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : 0;

    /// <summary>The deployment's ReplicaSets split into new and old, with spec.replicas as written during this reconcile.</summary>
    private sealed class RolloutState
    {
        private readonly Dictionary<string, int> _specReplicas = new(StringComparer.Ordinal);

        public RolloutState(V1Deployment deployment, List<V1ReplicaSet> owned)
        {
            Hash = PodTemplateHash.Compute(deployment.Spec.Template);
            All = owned.Where(rs => rs.Metadata.DeletionTimestamp is null).ToList();
            foreach (var rs in All)
            {
                _specReplicas[rs.Metadata.Uid] = Math.Max(0, rs.Spec?.Replicas ?? 1);
            }

            NewReplicaSet = All.FirstOrDefault(rs => rs.GetLabel(PodTemplateHash.LabelKey) == Hash);
        }

        public string Hash { get; }

        public List<V1ReplicaSet> All { get; }

        public V1ReplicaSet? NewReplicaSet
        {
            get;
            set
            {
                field = value;
                if (value is not null && !_specReplicas.ContainsKey(value.Metadata.Uid))
                {
                    All.Add(value);
                    _specReplicas[value.Metadata.Uid] = Math.Max(0, value.Spec?.Replicas ?? 0);
                }
            }
        }

        public IEnumerable<V1ReplicaSet> OldReplicaSets => All.Where(rs => rs.Metadata.Uid != NewReplicaSet?.Metadata.Uid);

        public long MaxOldRevision => OldReplicaSets.Select(Revision).DefaultIfEmpty(0).Max();

        public int TotalSpecReplicas => _specReplicas.Values.Sum();

        public int SpecReplicas(V1ReplicaSet rs) => _specReplicas.GetValueOrDefault(rs.Metadata.Uid);

        public void SetSpecReplicas(V1ReplicaSet rs, int replicas) => _specReplicas[rs.Metadata.Uid] = replicas;
    }
}
