using Spotalis.Core.Capacity;
using Spotalis.Core.Split;

namespace Spotalis.Core.Planning;

/// <summary>
/// Values for the <c>controller.kubernetes.io/pod-deletion-cost</c> annotation so that a ReplicaSet scale-down removes
/// pods of the over-represented capacity type first (lower cost = removed first).
/// </summary>
/// <remarks>
/// Think of the replicas as a sequence in which the first r pods are exactly the desired split for r replicas.
/// The k-th pod of a capacity type sits at the smallest r whose desired split has k pods of that type; pods later in
/// the sequence get a lower cost, so scaling down to any r keeps the desired split for r. Pods of a type whose share
/// is zero sit after all others. Every cost is positive, so a pod nobody annotated (cost 0) is removed first.
/// </remarks>
public static class DeletionCost
{
    private const long Base = int.MaxValue / 2;
    private const long Beyond = 500_000_000;

    /// <summary>
    /// Cost for a pod of <paramref name="podType"/> from the desired split alone (its ratio, no floor).
    /// <paramref name="ordinal"/> is the pod's rank among the workload's pods of the same capacity type (0 = keep
    /// longest, e.g. the oldest Ready pod); null means a new pod joining at the end (rank = current count of its type).
    /// </summary>
    public static int For(CapacityType podType, DesiredSplit desired, ActualSplit actual, int? ordinal)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var rank = ordinal ?? actual.For(podType);
        return Cost(podType, rank, desired.Spot, desired.Total, floor: 0);
    }

    /// <summary>Exact cost from the policy itself: honours the floor at every replica count.</summary>
    public static int For(CapacityType podType, int rank, int spotPercentage, int minOnDemand) =>
        Cost(podType, rank, Math.Clamp(spotPercentage, 0, 100), 100, Math.Max(0, minOnDemand));

    private static int Cost(CapacityType podType, int rank, long spotNumerator, long denominator, long floor)
    {
        var k = (long)Math.Max(0, rank) + 1;
        var position = denominator <= 0 ? Beyond + k : Position(podType, k, spotNumerator, denominator, floor);
        return (int)(Base - Math.Min(position, Beyond + Math.Min(k, Beyond)));
    }

    // desiredSpot(r) = min(floor(r * S / D), max(0, r - floor)); both terms grow by at most one per replica.
    private static long Position(CapacityType podType, long k, long spotNumerator, long denominator, long floor)
    {
        if (podType == CapacityType.Spot)
        {
            return spotNumerator == 0 ? Beyond + k : Math.Max(CeilDiv(k * denominator, spotNumerator), k + floor);
        }

        // on-demand(r) = r - desiredSpot(r) = max(ceil(r * (D - S) / D), min(r, floor))
        if (k <= floor)
        {
            return k;
        }

        var onDemandNumerator = denominator - spotNumerator;
        return onDemandNumerator == 0 ? Beyond + k : ((k - 1) * denominator / onDemandNumerator) + 1;
    }

    private static long CeilDiv(long numerator, long denominator) => (numerator + denominator - 1) / denominator;
}
