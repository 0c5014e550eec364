using CsCheck;
using Spotalis.Core.Admission;
using Spotalis.Core.Capacity;
using Spotalis.Core.Split;

namespace Spotalis.Core.Tests;

/// <summary>
/// DESIGN.md invariant 10: the webhook counts only pods that exist. A model of one workload: the API server's pods, the
/// watch stream (delivered in order, late), the webhook's cache and its recent admissions, driven by random
/// interleavings of admissions, deletions or evictions, and watch deliveries.
/// </summary>
public sealed class LivingPodsPropertyTests
{
    private const int Admit = 0;
    private const int Deliver = 1;
    private const int Delete = 2;

    private static readonly Gen<(int Op, int Pick)[]> Steps = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000]).Array[1, 160];

    [Fact]
    public void The_webhooks_view_never_exceeds_the_live_pods_plus_deletions_the_watch_has_not_delivered()
    {
        Gen.Select(Gen.Int[1, 30], Gen.Int[0, 100], Gen.Int[0, 6], Steps).Sample((replicas, percentage, floor, steps) =>
        {
            var model = new WorkloadModel(SplitCalculator.Compute(replicas, percentage, floor));
            foreach (var (op, pick) in steps)
            {
                model.Apply(op, pick);
                var (spot, onDemand) = model.View();
                if (spot + onDemand > model.Live + model.DeletionsInFlight)
                {
                    return false;
                }

                if (model.WatchCaughtUp && (spot, onDemand) != model.LiveByType())
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Fact]
    public void Every_replacement_after_a_deletion_goes_where_the_split_needs_it()
    {
        // kubectl delete pod, any number of times: once the watch has reported the deletion, the replacement restores
        // the desired split, so the controller never needs an eviction to repair it.
        Gen.Select(Gen.Int[1, 30], Gen.Int[0, 100], Gen.Int[0, 6], Gen.Int[0, 1000].Array[1, 40]).Sample((replicas, percentage, floor, picks) =>
        {
            var desired = SplitCalculator.Compute(replicas, percentage, floor);
            var model = new WorkloadModel(desired);
            for (var i = 0; i < replicas; i++)
            {
                model.Apply(Admit, 0);
            }

            foreach (var pick in picks)
            {
                model.Apply(Delete, pick);
                model.DeliverAll();
                model.Apply(Admit, 0);
                if (pick % 2 == 0)
                {
                    // The new pod is deleted too before any other admission of the workload sees it.
                    model.Apply(Delete, int.MaxValue);
                    model.DeliverAll();
                    model.Apply(Admit, 0);
                }

                model.DeliverAll();
                if (model.LiveByType() != (desired.Spot, desired.OnDemand))
                {
                    return false;
                }
            }

            return true;
        });
    }

    private sealed class WorkloadModel(DesiredSplit desired)
    {
        private readonly Dictionary<string, CapacityType> _api = [];
        private readonly Dictionary<string, CapacityType> _cache = [];
        private readonly Queue<(string Id, CapacityType Type, bool Deleted)> _watch = new();
        private readonly HashSet<string> _deletionsInFlight = [];
        private readonly RecentAdmissions _recent = new(TimeProvider.System, TimeSpan.FromHours(1));
        private readonly List<string> _order = [];
        private int _next;

        public int Live => _api.Count;

        /// <summary>Pods deleted in the API server whose deletion the watch has not delivered yet.</summary>
        public int DeletionsInFlight => _deletionsInFlight.Count;

        public bool WatchCaughtUp => _watch.Count == 0;

        public (int Spot, int OnDemand) LiveByType() => Split(_api.Values);

        /// <summary>What the webhook counts: the cache's pods plus admissions the watch has not reported.</summary>
        public (int Spot, int OnDemand) View()
        {
            var cached = Split(_cache.Values);
            var (spot, onDemand) = _recent.Count("w");
            return (cached.Spot + spot, cached.OnDemand + onDemand);
        }

        public void Apply(int op, int pick)
        {
            switch (op)
            {
                case Admit:
                    var (spot, onDemand) = Split(_cache.Values);
                    var (recentSpot, recentOnDemand) = _recent.Count("w");
                    var decision = AdmissionPlacement.Choose(new PlacementInput(desired, spot, onDemand, recentSpot, recentOnDemand, false, null));
                    var id = "uid-" + _next++;
                    _recent.Record("w", id, decision.CapacityType);
                    _api[id] = decision.CapacityType;
                    _order.Add(id);
                    _watch.Enqueue((id, decision.CapacityType, false));
                    break;
                case Deliver when _watch.Count > 0:
                    DeliverOne();
                    break;
                case Delete when _order.Count > 0:
                    var victim = _order[Math.Min(pick, _order.Count - 1)];
                    _order.Remove(victim);
                    _watch.Enqueue((victim, _api[victim], true));
                    _api.Remove(victim);
                    _deletionsInFlight.Add(victim);
                    break;
            }
        }

        public void DeliverAll()
        {
            while (_watch.Count > 0)
            {
                DeliverOne();
            }
        }

        private void DeliverOne()
        {
            var (id, type, deleted) = _watch.Dequeue();
            if (deleted)
            {
                _cache.Remove(id);
                _deletionsInFlight.Remove(id);
            }
            else
            {
                _cache[id] = type;
            }

            _recent.Observe(id);
        }

        private static (int Spot, int OnDemand) Split(IEnumerable<CapacityType> types)
        {
            var spot = 0;
            var onDemand = 0;
            foreach (var type in types)
            {
                if (type == CapacityType.Spot)
                {
                    spot++;
                }
                else
                {
                    onDemand++;
                }
            }

            return (spot, onDemand);
        }
    }
}
