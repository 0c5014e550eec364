using Spotalis.Core.Nodes;
using Spotalis.Core.Timing;
using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Reconciliation;

/// <summary>What the reconciler needs from the configuration, already parsed.</summary>
public sealed record ReconcilerOptions(
    bool ReadOnly,
    TimeSpan Cooldown,
    TimeSpan FallbackAfter,
    TimeSpan ReclaimAfter,
    NodeClassifier Classifier,
    DisruptionWindow Window,
    LabelSelector NamespaceSelector,
    string Namespace)
{
    /// <summary>Cap of the interval between reclaim probes without evidence of spot capacity (doubles per failed probe).</summary>
    public TimeSpan ReclaimProbeMaxInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Futile moves (replacement back on the capacity type it left) before evictions of a workload pause.</summary>
    public int FutileMoveLimit { get; init; } = 2;

    /// <summary>First pause after <see cref="FutileMoveLimit"/> futile moves; doubles with each further futile move.</summary>
    public TimeSpan FutileBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Cap of the pause after futile moves.</summary>
    public TimeSpan FutileBackoffMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Invariant 9: why spot cannot be offered now (null = it can); the workload is then placed as if its share were 0.</summary>
    public Func<string?>? SpotNotOffered { get; init; }

    /// <summary>
    /// Binds the options of a configuration that passed <see cref="SettingsValidator"/> (which reports every problem
    /// with a message naming its key); binding one that did not is a programming error.
    /// </summary>
    public static ReconcilerOptions From(SpotalisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var window = DisruptionWindow.Always;
        if (!string.IsNullOrWhiteSpace(config.DisruptionWindow.Schedule) &&
            !DisruptionWindow.TryCreate(config.DisruptionWindow.Schedule, config.DisruptionWindow.Duration, config.DisruptionWindow.TimeZone, out window, out var error))
        {
            throw NotValidated($"disruptionWindow: {error}");
        }

        if (!LabelSelector.TryParse(config.NamespaceSelector, out var selector, out var selectorError))
        {
            throw NotValidated($"namespaceSelector: {selectorError}");
        }

        return new ReconcilerOptions(
            config.ReadOnly,
            config.Controllers.Cooldown,
            config.Controllers.FallbackAfter,
            config.Controllers.ReclaimAfter,
            new NodeClassifier(PresetFor(config.NodeClassifier)),
            window!,
            selector,
            config.Namespace)
        {
            ReclaimProbeMaxInterval = config.Controllers.ReclaimProbeMaxInterval,
            FutileMoveLimit = config.Controllers.FutileMoveLimit,
            FutileBackoff = config.Controllers.FutileBackoff,
            FutileBackoffMax = config.Controllers.FutileBackoffMax,
        };
    }

    /// <summary>The node preset named in the configuration, with any extra selectors added.</summary>
    public static NodePreset PresetFor(NodeClassifierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Preset == NodePresets.NoneName)
        {
            return NodePresets.None;
        }

        if (settings.Preset == NodePresets.AutoName)
        {
            // Only the operator host discovers the provider (ProviderDiscovery); tools that evaluate without it
            // (simulate, explain) read Karpenter's labels, the simulator's default.
            return PresetFor(settings with { Preset = NodePresets.KarpenterName });
        }

        if (settings.Preset == "custom")
        {
            return NodePresets.Custom(settings.SpotSelectors, settings.OnDemandSelectors, []);
        }

        if (!NodePresets.TryGet(settings.Preset, out var preset))
        {
            throw NotValidated($"nodeClassifier.preset: '{settings.Preset}' is not a preset");
        }

        return settings.SpotSelectors.Count == 0 && settings.OnDemandSelectors.Count == 0
            ? preset
            : preset with
            {
                SpotTerms = [.. preset.SpotTerms, .. settings.SpotSelectors],
                OnDemandTerms = [.. preset.OnDemandTerms, .. settings.OnDemandSelectors],
            };
    }

    private static InvalidOperationException NotValidated(string problem) =>
        new($"configuration not validated ({nameof(SettingsValidator)}): {problem}");
}
