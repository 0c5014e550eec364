using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// Invariant 9 for the running operator: whether spot can be offered now (a spot node in the cache, or a NodePool that
/// allows spot as found at start). Recomputed at most every two seconds; read by the reconciler and the webhook.
/// </summary>
public sealed class SpotOfferView(IClusterView view, NodeClassifier classifier, bool? provisionerAllowsSpot, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private (DateTimeOffset At, string? Reason)? _last;

    /// <summary>Null when spot can be offered, else why not.</summary>
    public string? WhyNot()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_last is { } last && now - last.At < Freshness)
            {
                return last.Reason;
            }
        }

        if (!view.IsSynced)
        {
            return null;
        }

        var spotNodes = view.GetNodes().Count(n => classifier.Classify(new NodeDescription(
            n.Name, n.Labels, n.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToArray(), n.Unschedulable)).CapacityType == CapacityType.Spot);
        var reason = SpotOffer.WhyNot(spotNodes, provisionerAllowsSpot);
        lock (_gate)
        {
            _last = (now, reason);
        }

        return reason;
    }
}
