using Spotalis.Core.Nodes;
using Spotalis.Core.Timing;
using Spotalis.Operator.Webhook;

namespace Spotalis.Operator.Configuration;

/// <summary>
/// The one place a configuration is validated: the loader runs it after reading the file and the environment, and
/// the operator host runs it once before anything is bound (for configurations built in code). What passes here binds
/// without further checks (<see cref="Reconciliation.ReconcilerOptions.From"/>, <see cref="WebhookOptions.From"/>),
/// and each message names the key to fix.
/// </summary>
public static class SettingsValidator
{
    /// <summary>Every problem with <paramref name="config"/>, including the cross-key checks no single key can make; empty when it is usable.</summary>
    public static IReadOnlyList<string> Validate(SpotalisConfig config)
    {
        var problems = new List<string>();
        var election = config.LeaderElection;
        if (election.RenewDeadline >= election.LeaseDuration)
        {
            problems.Add($"leaderElection.renewDeadline ({GoDuration.Format(election.RenewDeadline)}) must be shorter than leaderElection.leaseDuration ({GoDuration.Format(election.LeaseDuration)})");
        }

        if (election.RetryPeriod >= election.RenewDeadline)
        {
            problems.Add($"leaderElection.retryPeriod ({GoDuration.Format(election.RetryPeriod)}) must be shorter than leaderElection.renewDeadline ({GoDuration.Format(election.RenewDeadline)})");
        }

        var preset = config.NodeClassifier.Preset;
        if (preset is not (NodePresets.NoneName or NodePresets.AutoName or "custom") && !NodePresets.TryGet(preset, out _))
        {
            problems.Add($"nodeClassifier.preset: '{preset}' is not a preset (auto, karpenter, eks, gke, aks, oke, custom)");
        }

        if (config.NodeClassifier.Preset == "custom" && config.NodeClassifier.SpotSelectors.Count == 0)
        {
            problems.Add("nodeClassifier.preset is custom but nodeClassifier.spotSelectors is empty: no node could ever be spot");
        }

        if (!string.IsNullOrWhiteSpace(config.DisruptionWindow.Schedule) &&
            !DisruptionWindow.TryCreate(config.DisruptionWindow.Schedule, config.DisruptionWindow.Duration, config.DisruptionWindow.TimeZone, out _, out var windowError))
        {
            problems.Add($"disruptionWindow: {windowError}");
        }

        if (!LabelSelector.TryParse(config.NamespaceSelector, out _, out var selectorError))
        {
            problems.Add($"namespaceSelector: {selectorError}");
        }

        if (!ListenAddress.TryParse(config.Metrics.Address, out _, out _))
        {
            problems.Add($"metrics.address: '{config.Metrics.Address}' is not host:port");
        }

        if (!ListenAddress.TryParse(config.Health.Address, out _, out _))
        {
            problems.Add($"health.address: '{config.Health.Address}' is not host:port");
        }

        if (!string.IsNullOrWhiteSpace(config.Metrics.CertDir) && config.Metrics.Address == config.Health.Address)
        {
            problems.Add($"metrics.certDir is set, so metrics.address must differ from health.address (both are '{config.Metrics.Address}'): health probes stay plain HTTP");
        }

        if (config.Controllers.MaxConcurrentReconciles < 1)
        {
            problems.Add("controllers.maxConcurrentReconciles must be at least 1");
        }

        if (config.Controllers.EvictionsPerSecond <= 0 || config.Controllers.EvictionBurst < 1)
        {
            problems.Add("controllers.evictionsPerSecond must be > 0 and controllers.evictionBurst >= 1");
        }

        if (config.Webhook.Enabled)
        {
            problems.AddRange(WebhookOptions.From(config).Validate());
        }

        return problems;
    }
}
