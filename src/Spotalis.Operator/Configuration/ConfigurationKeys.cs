using System.Globalization;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Nodes;
using Spotalis.Core.Timing;

namespace Spotalis.Operator.Configuration;

/// <summary>Every scalar configuration key of the product contract, with its environment variable and default.</summary>
public static class ConfigurationKeys
{
    /// <summary>Keys whose value is a list of node selector terms; YAML only.</summary>
    public const string SpotSelectorsPath = "nodeClassifier.spotSelectors";

    /// <summary>Keys whose value is a list of node selector terms; YAML only.</summary>
    public const string OnDemandSelectorsPath = "nodeClassifier.onDemandSelectors";

    public static IReadOnlyList<ConfigurationKey> All { get; } =
    [
        Key("namespace", "SPOTALIS_NAMESPACE", "\"\"", "Only this namespace is watched and managed; empty = all namespaces.",
            (c, v) => Ok(c with { Namespace = v.Trim() })),
        Key("readOnly", "SPOTALIS_READ_ONLY", "false", "Compute and report every action (WouldEvict Events, dry_run metric) without evicting or annotating.",
            (c, v) => Bool(v, b => c with { ReadOnly = b })),
        Key("namespaceSelector", "SPOTALIS_NAMESPACE_SELECTOR", "\"\"", "Label selector on namespaces (e.g. `team in (a,b)`); empty = every namespace.",
            (c, v) => LabelSelector.TryParse(v, out _, out var error) ? Ok(c with { NamespaceSelector = v.Trim() }) : Invalid(error!)),
        Key("logLevel", "SPOTALIS_LOG_LEVEL", "Information", "Trace, Debug, Information, Warning, Error, Critical or None (Go's info and warn also work).",
            (c, v) => TryParseLogLevel(v, out var level)
                ? Ok(c with { LogLevel = level })
                : Invalid($"'{v}' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None; Go's debug, info, warn, error)")),
        Key("logFormat", "SPOTALIS_LOG_FORMAT", "json", "json (one JSON object per line) or text (Go's console also works).",
            (c, v) => v.Trim().ToLowerInvariant() switch
            {
                "json" => Ok(c with { LogFormat = LogFormat.Json }),
                "text" or "console" => Ok(c with { LogFormat = LogFormat.Text }),
                _ => Invalid($"'{v}' is not a log format (json, or text / Go's console)"),
            }),
        Key("leaderElection.enabled", "SPOTALIS_LEADER_ELECTION_ENABLED", "true", "Elect one leader with a Lease; only the leader evicts and annotates.",
            (c, v) => Bool(v, b => c with { LeaderElection = c.LeaderElection with { Enabled = b } })),
        Key("leaderElection.leaseName", "SPOTALIS_LEADER_ELECTION_LEASE_NAME", "spotalis-leader", "Name of the coordination.k8s.io Lease.",
            (c, v) => Name(v, s => c with { LeaderElection = c.LeaderElection with { LeaseName = s } })),
        Key("leaderElection.leaseNamespace", "SPOTALIS_LEADER_ELECTION_LEASE_NAMESPACE", "spotalis-system", "Namespace of the Lease.",
            (c, v) => Name(v, s => c with { LeaderElection = c.LeaderElection with { LeaseNamespace = s } })),
        Key("leaderElection.identity", "SPOTALIS_LEADER_ELECTION_IDENTITY", "\"\"", "This replica's identity in the Lease; empty = the host name.",
            (c, v) => Ok(c with { LeaderElection = c.LeaderElection with { Identity = v.Trim() } })),
        Key("leaderElection.leaseDuration", "SPOTALIS_LEADER_ELECTION_LEASE_DURATION", "15s", "How long a lease is valid; followers take over after it expires.",
            (c, v) => Duration(v, d => c with { LeaderElection = c.LeaderElection with { LeaseDuration = d } }, positive: true)),
        Key("leaderElection.renewDeadline", "SPOTALIS_LEADER_ELECTION_RENEW_DEADLINE", "10s", "The leader gives up leadership when it cannot renew within this time.",
            (c, v) => Duration(v, d => c with { LeaderElection = c.LeaderElection with { RenewDeadline = d } }, positive: true)),
        Key("leaderElection.retryPeriod", "SPOTALIS_LEADER_ELECTION_RETRY_PERIOD", "2s", "Interval between attempts to acquire or renew the lease.",
            (c, v) => Duration(v, d => c with { LeaderElection = c.LeaderElection with { RetryPeriod = d } }, positive: true)),
        Key("nodeClassifier.preset", "SPOTALIS_NODE_CLASSIFIER_PRESET", "auto", "Node labels of one provider: auto (detected from the nodes and Karpenter NodePools at start, logged; nothing recognised = steer nothing), karpenter, eks, gke, aks, oke or custom.",
            (c, v) => v.Trim().ToLowerInvariant() is "custom" or "auto" || NodePresets.TryGet(v.Trim().ToLowerInvariant(), out _)
                ? Ok(c with { NodeClassifier = c.NodeClassifier with { Preset = v.Trim().ToLowerInvariant() } })
                : Invalid($"'{v}' is not a preset (auto, karpenter, eks, gke, aks, oke, custom)")),
        Key("controllers.reconcileInterval", "SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL", "30s", "Periodic resync of every managed workload.",
            (c, v) => Duration(v, d => c with { Controllers = c.Controllers with { ReconcileInterval = d } }, positive: true)),
        Key("controllers.maxConcurrentReconciles", "SPOTALIS_CONTROLLERS_MAX_CONCURRENT_RECONCILES", "4", "Workloads reconciled in parallel (1-64).",
            (c, v) => Int(v, 1, 64, i => c with { Controllers = c.Controllers with { MaxConcurrentReconciles = i } })),
        Key("controllers.cooldown", "SPOTALIS_CONTROLLERS_COOLDOWN", "30s", "Per workload, the pause after each eviction before the next one. If the last eviction or newest pod lies in the future (the clock stepped back or the cluster's clock is ahead), it counts from when the operator first saw it, so it never waits longer than this.",
            (c, v) => Duration(v, d => c with { Controllers = c.Controllers with { Cooldown = d } }, positive: false)),
        Key("controllers.fallbackAfter", "SPOTALIS_CONTROLLERS_FALLBACK_AFTER", "5m", "Spot-intended pods unschedulable this long make the workload fall back to on-demand (per workload: `spotalis.io/fallback-after`).",
            (c, v) => Duration(v, d => c with { Controllers = c.Controllers with { FallbackAfter = d } }, positive: false)),
        Key("controllers.reclaimAfter", "SPOTALIS_CONTROLLERS_RECLAIM_AFTER", "10m", "Time in fallback before moving replicas back to spot, one at a time.",
            (c, v) => Duration(v, d => c with { Controllers = c.Controllers with { ReclaimAfter = d } }, positive: false)),
        Key("controllers.reclaimProbeMaxInterval", "SPOTALIS_CONTROLLERS_RECLAIM_PROBE_MAX_INTERVAL", "2h", "Without evidence of spot capacity, one replica probes spot after reclaimAfter, then after twice as long for each failed probe, up to this interval.",
            (c, v) => Duration(v, d => c with { Controllers = c.Controllers with { ReclaimProbeMaxInterval = d } }, positive: true)),
        Key("controllers.futileMoveLimit", "SPOTALIS_CONTROLLERS_FUTILE_MOVE_LIMIT", "2", "Futile moves of a workload (the replacement came back on the capacity type it was moved away from) before its evictions pause with a PlacementNotSteered Warning (1-100).",
            (c, v) => Int(v, 1, 100, i => c with { Controllers = c.Controllers with { FutileMoveLimit = i } })),
        Key("controllers.futileBackoff", "SPOTALIS_CONTROLLERS_FUTILE_BACKOFF", "5m", "First pause after futile moves; each further futile move doubles it.",
            (c, v) => Duration(v, d => c with { Controllers = c.Controllers with { FutileBackoff = d } }, positive: true)),
        Key("controllers.futileBackoffMax", "SPOTALIS_CONTROLLERS_FUTILE_BACKOFF_MAX", "1h", "Longest pause after futile moves.",
            (c, v) => Duration(v, d => c with { Controllers = c.Controllers with { FutileBackoffMax = d } }, positive: true)),
        Key("controllers.evictionsPerSecond", "SPOTALIS_CONTROLLERS_EVICTIONS_PER_SECOND", "1", "Global eviction rate limit across all workloads (> 0, fractions allowed).",
            (c, v) => double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d)
                ? Ok(c with { Controllers = c.Controllers with { EvictionsPerSecond = d } })
                : Invalid($"'{v}' is not a positive number")),
        Key("controllers.evictionBurst", "SPOTALIS_CONTROLLERS_EVICTION_BURST", "5", "Evictions allowed at once before the rate limit applies (>= 1).",
            (c, v) => Int(v, 1, 10_000, i => c with { Controllers = c.Controllers with { EvictionBurst = i } })),
        Key("disruptionWindow.schedule", "SPOTALIS_DISRUPTION_WINDOW_SCHEDULE", "\"\"", "5-field cron expression at which a disruption window opens; empty = evictions always allowed.",
            (c, v) => Ok(c with { DisruptionWindow = c.DisruptionWindow with { Schedule = v.Trim() } })),
        Key("disruptionWindow.duration", "SPOTALIS_DISRUPTION_WINDOW_DURATION", "1h", "How long each disruption window stays open.",
            (c, v) => Duration(v, d => c with { DisruptionWindow = c.DisruptionWindow with { Duration = d } }, positive: true)),
        Key("disruptionWindow.timeZone", "SPOTALIS_DISRUPTION_WINDOW_TIME_ZONE", "UTC", "IANA time zone of the schedule.",
            (c, v) => Ok(c with { DisruptionWindow = c.DisruptionWindow with { TimeZone = v.Trim() } })),
        Key("webhook.enabled", "SPOTALIS_WEBHOOK_ENABLED", "true", "Serve the mutating admission webhook that places new pods.",
            (c, v) => Bool(v, b => c with { Webhook = c.Webhook with { Enabled = b } })),
        Key("webhook.port", "SPOTALIS_WEBHOOK_PORT", "9443", "HTTPS port of the webhook (0-65535; 0 = any free port).",
            (c, v) => Int(v, 0, 65535, i => c with { Webhook = c.Webhook with { Port = i } })),
        Key("webhook.certDir", "SPOTALIS_WEBHOOK_CERT_DIR", "\"\"", "Directory with tls.crt and tls.key; empty = self-managed certificate.",
            (c, v) => Ok(c with { Webhook = c.Webhook with { CertDir = v.Trim() } })),
        Key("webhook.pathCheckInterval", "SPOTALIS_WEBHOOK_PATH_CHECK_INTERVAL", "1m", "How often the operator checks, with a dry-run pod create, that the webhook is in the admission path; while it is not, evictions stop.",
            (c, v) => Duration(v, d => c with { Webhook = c.Webhook with { PathCheckInterval = d } }, positive: true)),
        Key("webhook.selfManaged.secretName", "SPOTALIS_WEBHOOK_SELF_MANAGED_SECRET_NAME", "spotalis-webhook-tls", "Secret holding the self-managed certificate.",
            (c, v) => Name(v, s => c with { Webhook = c.Webhook with { SelfManaged = c.Webhook.SelfManaged with { SecretName = s } } })),
        Key("webhook.selfManaged.serviceName", "SPOTALIS_WEBHOOK_SELF_MANAGED_SERVICE_NAME", "spotalis-webhook", "Service the certificate is issued for.",
            (c, v) => Name(v, s => c with { Webhook = c.Webhook with { SelfManaged = c.Webhook.SelfManaged with { ServiceName = s } } })),
        Key("webhook.selfManaged.serviceNamespace", "SPOTALIS_WEBHOOK_SELF_MANAGED_SERVICE_NAMESPACE", "spotalis-system", "Namespace of that Service and Secret.",
            (c, v) => Name(v, s => c with { Webhook = c.Webhook with { SelfManaged = c.Webhook.SelfManaged with { ServiceNamespace = s } } })),
        Key("webhook.selfManaged.configurationName", "SPOTALIS_WEBHOOK_SELF_MANAGED_CONFIGURATION_NAME", "spotalis", "MutatingWebhookConfiguration whose caBundle is kept current.",
            (c, v) => Name(v, s => c with { Webhook = c.Webhook with { SelfManaged = c.Webhook.SelfManaged with { ConfigurationName = s } } })),
        Key("metrics.address", "SPOTALIS_METRICS_ADDRESS", "0.0.0.0:8080", "host:port of the Prometheus `/metrics` endpoint.",
            (c, v) => Address(v, a => c with { Metrics = c.Metrics with { Address = a } })),
        Key("metrics.certDir", "SPOTALIS_METRICS_CERT_DIR", "\"\"", "Folder with `tls.crt`/`tls.key`: when set, `/metrics` is served over HTTPS (TLS 1.2+) and the files are reloaded when they change; empty = plain HTTP.",
            (c, v) => Ok(c with { Metrics = c.Metrics with { CertDir = v.Trim() } })),
        Key("health.address", "SPOTALIS_HEALTH_ADDRESS", "0.0.0.0:8081", "host:port of `/healthz` and `/readyz`.",
            (c, v) => Address(v, a => c with { Health = c.Health with { Address = a } })),
    ];

    /// <summary>The YAML-only list keys, documented next to the scalar keys.</summary>
    public static IReadOnlyList<(string Path, string DefaultValue, string Description)> ListKeys { get; } =
    [
        (SpotSelectorsPath, "[]", "List of `{matchLabels, matchExpressions}` terms that mark a node as spot (added to the preset; the only ones with preset custom)."),
        (OnDemandSelectorsPath, "[]", "List of `{matchLabels, matchExpressions}` terms that mark a node as on-demand."),
    ];

    public static ConfigurationKey? FindByEnvironment(string name) =>
        All.FirstOrDefault(k => string.Equals(k.EnvironmentVariable, name, StringComparison.Ordinal));

    public static ConfigurationKey? Find(string path) =>
        All.FirstOrDefault(k => string.Equals(k.Path, path, StringComparison.OrdinalIgnoreCase));

    private static ConfigurationKey Key(string path, string env, string defaultValue, string description, Func<SpotalisConfig, string, ConfigurationValue> apply) =>
        new(path, env, defaultValue, description, apply);

    private static ConfigurationValue Ok(SpotalisConfig config) => ConfigurationValue.Ok(config);

    private static ConfigurationValue Invalid(string error) => ConfigurationValue.Invalid(error);

    private static ConfigurationValue Bool(string value, Func<bool, SpotalisConfig> apply) =>
        TryParseBool(value, out var b) ? Ok(apply(b)) : Invalid($"'{value}' is not a boolean (true/false, 1/0, yes/no, on/off)");

    /// <summary>true/false plus the forms the Go release accepted: 1/0, yes/no, on/off (any case).</summary>
    public static bool TryParseBool(string value, out bool result)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                result = true;
                return true;
            case "false" or "0" or "no" or "off":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    /// <summary>.NET level names plus Go's debug, info, warn and error.</summary>
    public static bool TryParseLogLevel(string value, out LogLevel level)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "info":
                level = LogLevel.Information;
                return true;
            case "warn":
                level = LogLevel.Warning;
                return true;
            default:
                return Enum.TryParse(value.Trim(), ignoreCase: true, out level) && Enum.IsDefined(level) && !int.TryParse(value.Trim(), out _);
        }
    }

    private static ConfigurationValue Int(string value, int min, int max, Func<int, SpotalisConfig> apply) =>
        int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max
            ? Ok(apply(i))
            : Invalid($"'{value}' is not an integer from {min} to {max}");

    private static ConfigurationValue Name(string value, Func<string, SpotalisConfig> apply) =>
        string.IsNullOrWhiteSpace(value) ? Invalid("must not be empty") : Ok(apply(value.Trim()));

    private static ConfigurationValue Duration(string value, Func<TimeSpan, SpotalisConfig> apply, bool positive)
    {
        if (!GoDuration.TryParse(value.Trim(), out var duration) || duration < TimeSpan.Zero)
        {
            return Invalid($"'{value}' is not a duration (Go style, such as 500ms, 90s, 5m, 1h30m)");
        }

        return positive && duration == TimeSpan.Zero ? Invalid($"'{value}' must be longer than zero") : Ok(apply(duration));
    }

    private static ConfigurationValue Address(string value, Func<string, SpotalisConfig> apply) =>
        ListenAddress.TryParse(value, out _, out _)
            ? Ok(apply(value.Trim()))
            : Invalid($"'{value}' is not host:port (e.g. 0.0.0.0:8080, port 0-65535)");
}
