namespace Spotalis.Operator.Webhook.Placement;

/// <summary>How the placement step ended for one pod.</summary>
internal enum PlacementVerdict
{
    /// <summary>Place the pod on <see cref="PlacementOutcome.Decision"/>: patch it.</summary>
    Place,

    /// <summary>Not a pod of an opted-in workload, or deliberately left alone: allow untouched.</summary>
    Leave,

    /// <summary>The pod's own nodeSelector or affinity rules out the chosen capacity type: allow untouched, say why.</summary>
    UserConstraint,

    /// <summary>The pod's controller is not in the cache yet; worth waiting a moment for the watch to deliver it.</summary>
    OwnerPending,

    /// <summary>
    /// The cache already holds all the workload's replicas: the watch has not yet reported the pod that left (or the
    /// scale-up). Worth waiting a moment; after the wait the pod is placed with the picture at hand.
    /// </summary>
    WatchBehind,

    /// <summary>The cache cannot answer (not synced): allow untouched and count as an error.</summary>
    CacheUnavailable,
}
