using System.Runtime.CompilerServices;
using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;
using Spotalis.Core.Fallback;
using Spotalis.Core.Nodes;
using Spotalis.Core.Planning;
using Spotalis.Core.Policy;
using Spotalis.Core.Split;
using Spotalis.Core.Workloads;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Webhook.Admission;

namespace Spotalis.Operator.Webhook.Placement;

/// <summary>
/// Chooses a capacity type for a pod being created: finds its workload in the cache, reads the policy, counts the
/// workload's live pods of the same revision by capacity type plus the pods this webhook admitted that the watch has
/// not reported yet, and asks <see cref="AdmissionPlacement"/>. Decide-and-record is atomic per workload so that
/// concurrent admissions of one burst see each other.
/// </summary>
internal sealed class PodPlacementDecider
{
    private const int LockStripes = 64;

    private readonly IClusterView _view;
    private readonly RecentAdmissions _recent;
    private readonly WebhookPlacementSettings _settings;
    private readonly TimeProvider _time;
    private readonly NodeClassifier _classifier;
    private readonly ConditionalWeakTable<NodeSnapshot, NodeClassification> _nodeTypes = [];
    private readonly ConditionalWeakTable<WorkloadSnapshot, CachedPolicy> _policies = [];
    private readonly FallbackRecall _fallbacks = new();
    private readonly object[] _locks;

    public PodPlacementDecider(IClusterView view, WebhookPlacementSettings settings, TimeProvider time)
    {
        _view = view;
        _settings = settings;
        _time = time;
        _recent = new RecentAdmissions(time, settings.RecentAdmissionTtl);
        _view.PodObserved += OnPodObserved;
        _classifier = new NodeClassifier(settings.Preset);
        _locks = new object[LockStripes];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new object();
        }
    }

    public WebhookPlacementSettings Settings => _settings;

    /// <param name="spotConflict">Why the pod's own constraints rule out spot (null when they do not).</param>
    /// <param name="onDemandConflict">Why the pod's own constraints rule out on-demand (null when they do not).</param>
    /// <param name="record">False for dry-run requests: decide, but do not count the pod as admitted.</param>
    /// <param name="admissionId">Identifies the pod among recent admissions (the request uid, also written on the pod).</param>
    /// <param name="mayWaitForWatch">True while the caller can still wait for, or read past, a watch that is behind.</param>
    /// <param name="liveNow">The names of the pod's revision that the API server lists as live right now (a fresh read
    /// when the watch is behind): cached pods of that revision not among them have left and do not count.</param>
    public PlacementOutcome Decide(PodAdmission pod, string? spotConflict, string? onDemandConflict, bool record, string admissionId, bool mayWaitForWatch = false, IReadOnlySet<string>? liveNow = null)
    {
        if (!_view.IsSynced)
        {
            return new PlacementOutcome(PlacementVerdict.CacheUnavailable, "the watch cache has not synced yet");
        }

        var existingLabel = pod.Label(SpotalisKeys.CapacityType);
        if (CapacityTypes.TryParse(existingLabel, out _))
        {
            return PlacementOutcome.Leave($"the pod already carries {SpotalisKeys.CapacityType}={existingLabel}");
        }

        var controllerKind = pod.ControllerKind;
        if (!pod.MayBelongToWorkload)
        {
            return PlacementOutcome.Leave(controllerKind is null
                ? "the pod has no controller owner"
                : $"the pod's controller is a {controllerKind}, not a Deployment's ReplicaSet or a StatefulSet");
        }

        var workloadRef = _view.ResolveOwner(pod.Namespace, pod.Owners);
        var workload = workloadRef is null ? null : _view.GetWorkload(workloadRef);
        if (workloadRef is null || workload is null)
        {
            return new PlacementOutcome(
                PlacementVerdict.OwnerPending,
                $"the pod's {controllerKind} has no Deployment or StatefulSet in the cache",
                workloadRef);
        }

        var policy = Policy(workload, _view.GetNamespaceLabels(pod.Namespace));
        if (!policy.Policy.Enabled)
        {
            // An unreadable opt-in leaves the pod alone too (fail safe); the operator reports it as InvalidPolicy.
            var optInErrors = policy.Errors.Where(e => e.Key == SpotalisKeys.Enabled).Select(e => e.Message).ToList();
            return PlacementOutcome.Leave(
                optInErrors.Count == 0 ? $"{workloadRef} is not opted in" : $"{workloadRef} is not opted in: {string.Join("; ", optInErrors)}",
                workloadRef);
        }

        if (_settings.Preset.SpotSteering.RequiredNodeAffinity.Count == 0 && _settings.Preset.OnDemandSteering.RequiredNodeAffinity.Count == 0)
        {
            return PlacementOutcome.Leave(
                $"preset {_settings.Preset.Name} steers nothing: no provider's capacity labels were recognised on the nodes (set nodeClassifier.preset)",
                workloadRef);
        }

        var spotNotOffered = policy.Policy.SpotPercentage > 0 ? _settings.SpotNotOffered?.Invoke() : null;
        var revision = pod.Revision;
        var recentKey = revision is null ? workloadRef.ToString() : workloadRef + "@" + revision;
        var ordinal = workloadRef.Kind == WorkloadKinds.StatefulSet ? pod.StatefulSetOrdinal : null;
        lock (_locks[(recentKey.GetHashCode(StringComparison.Ordinal) & int.MaxValue) % LockStripes])
        {
            // Admissions the watch has not reported yet, taken before the pods are read: a pod the watch delivers in
            // between is then in both, and counts once as a pod (DESIGN.md invariant 10). Read the other way round, it
            // would be in neither.
            var unseen = _recent.Snapshot(recentKey);
            var pods = _view.GetPods(workloadRef);
            var counts = Count(pods, revision, admittedName: pod.Name, liveNow);
            var (unseenSpot, unseenOnDemand) = unseen.IsEmpty ? (0, 0) : unseen.CountExcept(ReportedAdmissionIds(pods));

            // A Deployment that is not rolling out only gets a new pod when one is missing: if the picture already holds
            // the workload's replicas, the watch has not delivered the deletion, eviction or scale-up that made room for
            // this pod. Deciding now would count the departed pod; waiting briefly for the watch lets the replacement
            // go where the split needs it (after OwnerWaitTimeout the pod is placed anyway: never block a pod).
            var existing = counts.Spot + counts.OnDemand + counts.Unknown + unseenSpot + unseenOnDemand;
            if (mayWaitForWatch && ordinal is null && !workload.RolloutInProgress && existing >= workload.Replicas)
            {
                return new PlacementOutcome(
                    PlacementVerdict.WatchBehind,
                    $"{workloadRef} already has {existing} of {workload.Replicas} replicas in the cache; the watch has not reported the pod that left",
                    workloadRef);
            }

            // A stale workload (scale-up not yet in the cache) or a surge must still keep the share: place the new pod
            // as if the workload had at least as many replicas as pods. StatefulSets never surge, and pods above their
            // replicas are being scaled away, so only the ordinal can prove a scale-up the cache has not shown; this
            // keeps the webhook on the same target as the operator's planner.
            var replicas = ordinal is { } index
                ? Math.Max(workload.Replicas, index + 1)
                : Math.Max(workload.Replicas, existing + 1);
            var desired = SplitCalculator.Compute(replicas, spotNotOffered is null ? policy.Policy.SpotPercentage : 0, policy.Policy.MinOnDemand);
            var fallback = desired.Spot > 0 && counts.FallbackSignals
                ? EvaluateFallback(pods, policy.Policy)
                : null;
            fallback = _fallbacks.Apply(workloadRef, fallback, counts.Live);

            var decision = AdmissionPlacement.Choose(new PlacementInput(
                desired,
                counts.Spot,
                counts.OnDemand,
                unseenSpot,
                unseenOnDemand,
                fallback?.SpotUnavailable ?? false,
                ordinal)
            {
                OrdinalOrder = ordinal is null ? null : new StatefulSetOrder(policy.Policy.SpotPercentage, policy.Policy.MinOnDemand),
            });

            var conflict = decision.CapacityType == CapacityType.Spot ? spotConflict : onDemandConflict;
            if (conflict is not null)
            {
                return new PlacementOutcome(
                    PlacementVerdict.UserConstraint,
                    $"{workloadRef} wants this pod on {CapacityTypes.ToLabelValue(decision.CapacityType)} but {conflict}",
                    workloadRef);
            }

            if (record && admissionId.Length > 0)
            {
                _recent.Record(recentKey, admissionId, decision.CapacityType);
            }

            // The new pod joins at the end of its capacity type: the pods already there are kept longer on scale-down.
            var rank = decision.CapacityType == CapacityType.Spot ? counts.Spot + unseenSpot : counts.OnDemand + unseenOnDemand;
            var cost = DeletionCost.For(decision.CapacityType, rank, policy.Policy.SpotPercentage, policy.Policy.MinOnDemand);

            var reason = policy.IsValid
                ? decision.Reason
                : $"{decision.Reason}; invalid policy, placing on on-demand: {string.Join("; ", policy.Errors.Select(e => e.Message))}";
            if (fallback is { SpotUnavailable: true })
            {
                reason = $"{reason}; {fallback.Reason}";
            }

            if (spotNotOffered is not null)
            {
                reason = $"{reason}; placed as if the spot share were 0: {spotNotOffered}";
            }

            return new PlacementOutcome(PlacementVerdict.Place, reason, workloadRef, decision, cost)
            {
                FallbackSince = fallback is { SpotUnavailable: true } ? fallback.Since : null,
            };
        }
    }

    private static HashSet<string> ReportedAdmissionIds(IReadOnlyList<PodSnapshot> pods)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < pods.Count; i++)
        {
            if (pods[i].AdmissionId is { Length: > 0 } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private void OnPodObserved(PodSnapshot pod)
    {
        if (pod.AdmissionId is { Length: > 0 } id)
        {
            _recent.Observe(id);
        }
    }

    /// <param name="admittedName">The name of the pod being admitted (empty when generated later): a cached pod of that
    /// name is its predecessor, about to be replaced, so it is not counted.</param>
    private PodCounts Count(IReadOnlyList<PodSnapshot> pods, string? revision, string admittedName, IReadOnlySet<string>? liveNow)
    {
        var counts = default(PodCounts);
        for (var i = 0; i < pods.Count; i++)
        {
            var pod = pods[i];

            // A view that does not raise PodObserved still ends an admission's count once it shows the pod.
            OnPodObserved(pod);

            if (pod.FallbackSince is not null && !pod.IsFinished)
            {
                // A terminating pod's mark still records the fallback (it may be the pending pod just evicted).
                counts.FallbackSignals = true;
            }

            if (!pod.IsLive)
            {
                continue;
            }

            counts.Live++;
            if (pod.IsFallback || pod.UnschedulableSince is not null)
            {
                counts.FallbackSignals = true;
            }

            if (revision is not null && pod.Revision is not null && pod.Revision != revision)
            {
                continue;
            }

            if (liveNow is not null && pod.Revision == revision && !liveNow.Contains(pod.Name))
            {
                continue;
            }

            if (admittedName.Length > 0 && string.Equals(pod.Name, admittedName, StringComparison.Ordinal))
            {
                continue;
            }

            var labelled = CapacityTypes.TryParse(pod.CapacityLabel, out var labelType);
            CapacityType? type = labelled ? labelType : null;
            if (pod.NodeName is { Length: > 0 } nodeName && _view.GetNode(nodeName) is { } node)
            {
                type = Classify(node) ?? type;
            }

            switch (type)
            {
                case CapacityType.Spot:
                    counts.Spot++;
                    break;
                case CapacityType.OnDemand:
                    counts.OnDemand++;
                    break;
                default:
                    counts.Unknown++;
                    break;
            }
        }

        return counts;
    }

    /// <summary>The workload's policy, parsed once per workload and namespace-labels snapshot (both are replaced on change).</summary>
    private PolicyResult Policy(WorkloadSnapshot workload, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        if (_policies.TryGetValue(workload, out var cached) && ReferenceEquals(cached.NamespaceLabels, namespaceLabels))
        {
            return cached.Result;
        }

        var result = PolicyParser.Parse(workload.Labels, workload.Annotations, namespaceLabels);
        _policies.AddOrUpdate(workload, new CachedPolicy(namespaceLabels, result));
        return result;
    }

    private CapacityType? Classify(NodeSnapshot node)
    {
        // Snapshots are immutable and replaced on change, so a classification cached per instance never goes stale.
        return _nodeTypes.GetValue(node, n => _classifier.Classify(new NodeDescription(
            n.Name,
            n.Labels,
            n.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToList(),
            n.Unschedulable))).CapacityType;
    }

    private FallbackStatus EvaluateFallback(IReadOnlyList<PodSnapshot> pods, WorkloadPolicy policy)
    {
        var facts = new List<FallbackFacts>(pods.Count);
        for (var i = 0; i < pods.Count; i++)
        {
            var pod = pods[i];
            if (pod.IsFinished)
            {
                continue;
            }

            facts.Add(new FallbackFacts(
                CapacityTypes.TryParse(pod.CapacityLabel, out var intended) ? intended : null,
                pod.IsFallback,
                pod.CreatedAt,
                pod.UnschedulableSince,
                pod.Terminating,
                pod.FallbackSince));
        }

        return FallbackPolicy.Evaluate(
            facts,
            policy.FallbackAfter ?? _settings.FallbackAfter,
            _settings.ReclaimAfter,
            _time.GetUtcNow());
    }

    private struct PodCounts
    {
        /// <summary>Some live pod is unschedulable or a fallback pod: only then can spot be unavailable.</summary>
        public bool FallbackSignals;

        /// <summary>Pods that are neither terminating nor finished (any revision).</summary>
        public int Live;

        public int Spot;
        public int OnDemand;
        public int Unknown;
    }

    private sealed record CachedPolicy(IReadOnlyDictionary<string, string>? NamespaceLabels, PolicyResult Result);
}
