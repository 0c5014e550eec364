using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// The disruption controller, folded into the store: keeps every PodDisruptionBudget's status
/// (currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed) current after each committed change.
/// Membership and health are tracked incrementally, so a pod write costs O(budgets that could select it).
/// </summary>
internal sealed class DisruptionBudgets(ClusterApi api)
{
    private readonly Dictionary<(string Namespace, string Name), Budget> _budgets = [];
    private readonly Dictionary<string, NamespaceIndex> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Pod), List<Budget>> _memberships = [];
    private readonly Dictionary<(string Namespace, string Kind, string Name), int?> _scales = [];
    private readonly Dictionary<(string Namespace, string Kind, string Name), HashSet<Budget>> _byController = [];
    private bool _writingStatus;

    /// <summary>Ready and not terminating: what the disruption controller counts as healthy.</summary>
    public static bool IsHealthy(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null &&
        (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false);

    /// <summary>The budgets (stored snapshots, status current) whose selector matches the pod.</summary>
    public IReadOnlyList<V1PodDisruptionBudget> Covering(V1Pod pod) =>
        _memberships.TryGetValue((pod.Metadata.NamespaceProperty, pod.Metadata.Name), out var list)
            ? list.Select(b => api.Get<V1PodDisruptionBudget>(b.Namespace, b.Name)).OfType<V1PodDisruptionBudget>().ToList()
            : [];

    public void OnChange(ClusterChange change)
    {
        if (_writingStatus)
        {
            return;
        }

        switch (change.Object)
        {
            case V1PodDisruptionBudget pdb:
                OnBudget(change.Type, pdb);
                break;
            case V1Pod pod:
                OnPod(change.Type, pod);
                break;
            case V1ReplicaSet rs:
                OnScale(change, rs.Spec?.Replicas);
                break;
            case V1Deployment deployment:
                OnScale(change, deployment.Spec?.Replicas);
                break;
            case V1StatefulSet sts:
                OnScale(change, sts.Spec?.Replicas);
                break;
        }
    }

    private void OnBudget(ClusterChangeType type, V1PodDisruptionBudget pdb)
    {
        var key = (pdb.Metadata.NamespaceProperty, pdb.Metadata.Name);
        if (_budgets.TryGetValue(key, out var old))
        {
            if (type != ClusterChangeType.Deleted && old.Generation == pdb.Metadata.Generation)
            {
                return;
            }

            Forget(old);
        }

        if (type == ClusterChangeType.Deleted)
        {
            return;
        }

        var budget = new Budget(pdb.Metadata.NamespaceProperty, pdb.Metadata.Name, LabelSelector.From(pdb.Spec?.Selector), pdb.Metadata.Generation);
        _budgets[key] = budget;
        Index(budget).Add(budget);
        foreach (var pod in api.List<V1Pod>(budget.Namespace))
        {
            if (budget.Selector.Matches(pod.Metadata.Labels))
            {
                Join(budget, pod);
            }
        }

        Refresh(budget);
    }

    private void OnPod(ClusterChangeType type, V1Pod pod)
    {
        var podKey = (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        if (!_namespaces.TryGetValue(pod.Metadata.NamespaceProperty, out var index))
        {
            return;
        }

        var touched = new HashSet<Budget>();
        if (_memberships.TryGetValue(podKey, out var current))
        {
            foreach (var budget in current.ToList())
            {
                budget.Members.Remove(pod.Metadata.Name);
                current.Remove(budget);
                touched.Add(budget);
            }

            _memberships.Remove(podKey);
        }

        if (type != ClusterChangeType.Deleted)
        {
            foreach (var budget in index.Candidates(pod.Metadata.Labels))
            {
                if (budget.Selector.Matches(pod.Metadata.Labels))
                {
                    Join(budget, pod);
                    touched.Add(budget);
                }
            }
        }

        foreach (var budget in touched)
        {
            Refresh(budget);
        }
    }

    /// <summary>A controller's replica count feeds expectedPods of percentage and maxUnavailable budgets in its namespace.</summary>
    private void OnScale(ClusterChange change, int? replicas)
    {
        var meta = change.Object.Metadata;
        var key = (meta.NamespaceProperty, change.Object.Kind, meta.Name);
        if (change.Type == ClusterChangeType.Deleted)
        {
            _scales.Remove(key);
        }
        else if (_scales.TryGetValue(key, out var known) && known == replicas)
        {
            return;
        }
        else
        {
            _scales[key] = replicas;
        }

        if (_byController.TryGetValue(key, out var affected))
        {
            foreach (var budget in affected.ToList())
            {
                Refresh(budget);
            }
        }
    }

    private void Join(Budget budget, V1Pod pod)
    {
        var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        budget.Members[pod.Metadata.Name] = new Member(IsHealthy(pod), controller?.Kind, controller?.Name);
        if (controller is not null)
        {
            Watch((pod.Metadata.NamespaceProperty, controller.Kind, controller.Name), budget);
            if (controller.Kind == "ReplicaSet" &&
                api.Get<V1ReplicaSet>(pod.Metadata.NamespaceProperty, controller.Name)?.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { } owner)
            {
                Watch((pod.Metadata.NamespaceProperty, owner.Kind, owner.Name), budget);
            }
        }

        var key = (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        if (!_memberships.TryGetValue(key, out var list))
        {
            list = [];
            _memberships[key] = list;
        }

        list.Add(budget);
    }

    /// <summary>Remembers that the controller's scale feeds the budget (entries of forgotten budgets are skipped on refresh).</summary>
    private void Watch((string Namespace, string Kind, string Name) controller, Budget budget)
    {
        if (!_byController.TryGetValue(controller, out var set))
        {
            set = [];
            _byController[controller] = set;
        }

        set.Add(budget);
    }

    private void Forget(Budget budget)
    {
        _budgets.Remove((budget.Namespace, budget.Name));
        Index(budget).Remove(budget);
        foreach (var pod in budget.Members.Keys)
        {
            if (_memberships.TryGetValue((budget.Namespace, pod), out var list))
            {
                list.Remove(budget);
            }
        }
    }

    private NamespaceIndex Index(Budget budget)
    {
        if (!_namespaces.TryGetValue(budget.Namespace, out var index))
        {
            index = new NamespaceIndex();
            _namespaces[budget.Namespace] = index;
        }

        return index;
    }

    private void Refresh(Budget budget)
    {
        if (!_budgets.TryGetValue((budget.Namespace, budget.Name), out var current) || current != budget)
        {
            return;
        }

        var pdb = api.Get<V1PodDisruptionBudget>(budget.Namespace, budget.Name);
        if (pdb is null)
        {
            return;
        }

        var healthy = budget.Members.Values.Count(m => m.Healthy);
        var (expected, desired, failure) = Expectation(pdb, budget);
        var allowed = failure is null ? Math.Max(0, healthy - desired) : 0;
        var old = pdb.Status;
        if (old is not null && old.CurrentHealthy == healthy && old.DesiredHealthy == desired && old.ExpectedPods == expected &&
            old.DisruptionsAllowed == allowed && old.ObservedGeneration == pdb.Metadata.Generation)
        {
            return;
        }

        var updated = KubeJson.Clone(pdb);
        var reason = failure is not null ? "SyncFailed" : allowed > 0 ? "SufficientPods" : "InsufficientPods";
        var oldCondition = old?.Conditions?.FirstOrDefault(c => c.Type == "DisruptionAllowed");
        var conditionStatus = allowed > 0 ? "True" : "False";
        updated.Status = new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = allowed,
            ObservedGeneration = pdb.Metadata.Generation,
            DisruptedPods = old?.DisruptedPods,
            Conditions =
            [
                new V1Condition
                {
                    Type = "DisruptionAllowed",
                    Status = conditionStatus,
                    Reason = reason,
                    Message = failure ?? string.Empty,
                    ObservedGeneration = pdb.Metadata.Generation,
                    LastTransitionTime = oldCondition?.Status == conditionStatus ? oldCondition.LastTransitionTime : api.Time.GetUtcNow().UtcDateTime,
                },
            ],
        };
        _writingStatus = true;
        try
        {
            api.CommitSystemUpdate(updated);
        }
        finally
        {
            _writingStatus = false;
        }
    }

    /// <summary>expectedPods and desiredHealthy as the upstream disruption controller derives them.</summary>
    private (int Expected, int Desired, string? Failure) Expectation(V1PodDisruptionBudget pdb, Budget budget)
    {
        var spec = pdb.Spec ?? new V1PodDisruptionBudgetSpec();
        if (spec.MaxUnavailable is null && spec.MinAvailable is { } min && !IsPercent(min))
        {
            return (budget.Members.Count, int.Parse(min.Value, System.Globalization.CultureInfo.InvariantCulture), null);
        }

        if (spec.MaxUnavailable is null && spec.MinAvailable is null)
        {
            return (budget.Members.Count, 0, null);
        }

        var expected = 0;
        foreach (var controller in budget.Members.Values.Select(m => (m.ControllerKind, m.ControllerName)).Distinct())
        {
            var scale = Scale(budget.Namespace, controller.ControllerKind, controller.ControllerName);
            if (scale is null)
            {
                return (0, 0, $"found no controllers for pods of {pdb.Metadata.Name}: percentages and maxUnavailable need a Deployment, ReplicaSet or StatefulSet");
            }

            expected += scale.Value;
        }

        if (spec.MaxUnavailable is { } maxUnavailable)
        {
            var unavailable = Resolve(maxUnavailable, expected, roundUp: true);
            return (expected, Math.Max(0, expected - unavailable), null);
        }

        return (expected, Resolve(spec.MinAvailable!, expected, roundUp: true), null);
    }

    private int? Scale(string namespaceName, string? kind, string? name)
    {
        switch (kind)
        {
            case "ReplicaSet" when api.Get<V1ReplicaSet>(namespaceName, name!) is { } rs:
                var owner = rs.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "Deployment");
                if (owner is not null && api.Get<V1Deployment>(namespaceName, owner.Name) is { } owningDeployment)
                {
                    return owningDeployment.Spec?.Replicas ?? 1;
                }

                return rs.Spec?.Replicas ?? 1;
            case "StatefulSet" when api.Get<V1StatefulSet>(namespaceName, name!) is { } sts:
                return sts.Spec?.Replicas ?? 1;
            case "Deployment" when api.Get<V1Deployment>(namespaceName, name!) is { } deployment:
                return deployment.Spec?.Replicas ?? 1;
            default:
                return null;
        }
    }

    private static bool IsPercent(IntOrString value) => value.Value?.EndsWith('%') ?? false;

    private static int Resolve(IntOrString value, int total, bool roundUp)
    {
        if (!IsPercent(value))
        {
            return int.Parse(value.Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var percent = int.Parse(value.Value.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
        return roundUp ? (int)Math.Ceiling(percent * total / 100.0) : percent * total / 100;
    }

    private sealed record Member(bool Healthy, string? ControllerKind, string? ControllerName);

    private sealed class Budget(string namespaceName, string name, LabelSelector selector, long? generation)
    {
        public string Namespace { get; } = namespaceName;

        public string Name { get; } = name;

        public LabelSelector Selector { get; } = selector;

        public long? Generation { get; } = generation;

        public Dictionary<string, Member> Members { get; } = new(StringComparer.Ordinal);

        /// <summary>The first equality requirement, used to find candidate budgets for a pod quickly.</summary>
        public string? IndexKey { get; } = selector.EqualityRequirements.Select(r => r.Key + "=" + r.Value).FirstOrDefault();
    }

    /// <summary>The budgets of one namespace, indexed by one of their equality requirements.</summary>
    private sealed class NamespaceIndex
    {
        private readonly Dictionary<string, List<Budget>> _byLabel = new(StringComparer.Ordinal);
        private readonly List<Budget> _unindexed = [];

        public List<Budget> All { get; } = [];

        public void Add(Budget budget)
        {
            All.Add(budget);
            if (budget.IndexKey is null)
            {
                _unindexed.Add(budget);
            }
            else if (_byLabel.TryGetValue(budget.IndexKey, out var list))
            {
                list.Add(budget);
            }
            else
            {
                _byLabel[budget.IndexKey] = [budget];
            }
        }

        public void Remove(Budget budget)
        {
            All.Remove(budget);
            _unindexed.Remove(budget);
            if (budget.IndexKey is not null && _byLabel.TryGetValue(budget.IndexKey, out var list))
            {
                list.Remove(budget);
            }
        }

        public IEnumerable<Budget> Candidates(IDictionary<string, string>? labels)
        {
            foreach (var budget in _unindexed)
            {
                yield return budget;
            }

            foreach (var (key, value) in labels ?? new Dictionary<string, string>())
            {
                if (_byLabel.TryGetValue(key + "=" + value, out var list))
                {
                    foreach (var budget in list)
                    {
                        yield return budget;
                    }
                }
            }
        }
    }
}
