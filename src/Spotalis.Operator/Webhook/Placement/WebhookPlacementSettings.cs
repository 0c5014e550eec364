using Spotalis.Core.Nodes;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Webhook.Placement;

/// <summary>
/// What the webhook needs from the rest of the configuration to place a pod: the node preset (how capacity types
/// look on nodes and how to steer a pod onto one) and the fallback timings shared with the controller.
/// </summary>
/// <param name="FallbackAfter"><c>controllers.fallbackAfter</c>; a workload's <c>spotalis.io/fallback-after</c> wins.</param>
/// <param name="ReclaimAfter"><c>controllers.reclaimAfter</c>.</param>
/// <param name="RecentAdmissionTtl">How long an admitted pod counts while the cache has not seen it yet.</param>
/// <param name="OwnerWaitTimeout">
/// How long a pod whose controller (ReplicaSet/StatefulSet) is not yet in the cache waits for it: a new Deployment's
/// first pods are admitted milliseconds after its ReplicaSet is created, often before the watch delivers it.
/// </param>
public sealed record WebhookPlacementSettings(
    NodePreset Preset,
    TimeSpan FallbackAfter,
    TimeSpan ReclaimAfter,
    TimeSpan RecentAdmissionTtl,
    TimeSpan OwnerWaitTimeout)
{
    /// <summary>Invariant 9: why spot cannot be offered now (null = it can); pods are then placed as if the share were 0.</summary>
    public Func<string?>? SpotNotOffered { get; init; }

    /// <summary>Binds the node preset and the fallback timings of a validated configuration.</summary>
    public static WebhookPlacementSettings From(SpotalisConfig config, Func<string?>? spotNotOffered = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Default with
        {
            Preset = ReconcilerOptions.PresetFor(config.NodeClassifier),
            FallbackAfter = config.Controllers.FallbackAfter,
            ReclaimAfter = config.Controllers.ReclaimAfter,
            SpotNotOffered = spotNotOffered,
        };
    }

    /// <summary>Karpenter preset, fallback after 5m, reclaim after 10m (the configuration defaults).</summary>
    public static WebhookPlacementSettings Default { get; } = new(
        NodePresets.Karpenter,
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromSeconds(1));
}
