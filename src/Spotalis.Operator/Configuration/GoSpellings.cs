using Spotalis.Core.Timing;

namespace Spotalis.Operator.Configuration;

/// <summary>
/// The Go Spotalis config tree and environment names (see docs/reference/configuration.md, "Go spellings"), each
/// mapped onto this project's keys with its Go meaning. A Go setting that has no equivalent is either refused
/// (startup stops) or accepted with a clear log line; none is dropped silently.
/// </summary>
public static class GoSpellings
{
    /// <summary>Go YAML paths whose value is a list of label selectors, mapped onto this project's selector lists.</summary>
    public static IReadOnlyDictionary<string, string> SelectorLists { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["controllers.nodeClassifier.spotLabels"] = ConfigurationKeys.SpotSelectorsPath,
        ["controllers.nodeClassifier.onDemandLabels"] = ConfigurationKeys.OnDemandSelectorsPath,
    };

    /// <summary>The Go chart's <c>controllers.watchNamespaces</c>, a list the Go binary never read.</summary>
    public const string WatchNamespacesPath = "controllers.watchNamespaces";

    /// <summary>Unprefixed environment names the Go binary still read.</summary>
    public static IReadOnlyList<string> UnprefixedEnvironment { get; } = ["METRICS_ADDR", "PROBE_ADDR", "NAMESPACE", "DISABLE_LEADER_ELECTION", "DISABLE_WEBHOOK"];

    public static IReadOnlyList<GoSpelling> All { get; } =
    [
        // operator.*
        Yaml("operator.namespace", "leaderElection.leaseNamespace and webhook.selfManaged.serviceNamespace", OperatorNamespace),
        Env("SPOTALIS_OPERATOR_NAMESPACE", "SPOTALIS_LEADER_ELECTION_LEASE_NAMESPACE and SPOTALIS_WEBHOOK_SELF_MANAGED_SERVICE_NAMESPACE", OperatorNamespace),
        Env("NAMESPACE", "SPOTALIS_LEADER_ELECTION_LEASE_NAMESPACE and SPOTALIS_WEBHOOK_SELF_MANAGED_SERVICE_NAMESPACE", OperatorNamespace),
        Yaml("operator.readOnlyMode", "readOnly", v => To("readOnly", v)),
        Env("SPOTALIS_OPERATOR_READ_ONLY_MODE", "SPOTALIS_READ_ONLY", v => To("readOnly", v)),
        Yaml("operator.leaderElection.enabled", "leaderElection.enabled", v => To("leaderElection.enabled", v)),
        Env("DISABLE_LEADER_ELECTION", "SPOTALIS_LEADER_ELECTION_ENABLED=false", v => Negated("leaderElection.enabled", v)),
        Yaml("operator.leaderElection.id", "leaderElection.leaseName", v => To("leaderElection.leaseName", v)),
        Env("SPOTALIS_LEADER_ELECTION_ID", "SPOTALIS_LEADER_ELECTION_LEASE_NAME", v => To("leaderElection.leaseName", v)),
        Yaml("operator.leaderElection.namespace", "leaderElection.leaseNamespace", v => string.IsNullOrWhiteSpace(v)
            ? GoTranslation.Nothing
            : GoTranslation.NotApplied($"operator.leaderElection.namespace ('{v.Trim()}') is a Go chart value the Go binary never read (its Lease lived in operator.namespace); not applied. Set leaderElection.leaseNamespace to move the Lease.")),
        Yaml("operator.leaderElection.leaseDuration", "leaderElection.leaseDuration", v => To("leaderElection.leaseDuration", v)),
        Yaml("operator.disruptionWindow.schedule", "disruptionWindow.schedule", v => To("disruptionWindow.schedule", v)),
        Yaml("operator.disruptionWindow.duration", "disruptionWindow.duration", v => string.IsNullOrWhiteSpace(v) ? GoTranslation.Nothing : To("disruptionWindow.duration", v)),

        // controllers.* (reconcileInterval and maxConcurrentReconciles are spelled the same here)
        Yaml("controllers.rateLimit.qps", "nothing (remove it)", v => NotInGoBinary("controllers.rateLimit.qps", v, "this operator watches instead of polling; the eviction rate is controllers.evictionsPerSecond")),
        Yaml("controllers.rateLimit.burst", "nothing (remove it)", v => NotInGoBinary("controllers.rateLimit.burst", v, "the eviction burst is controllers.evictionBurst")),
        Yaml("controllers.workloadTiming.cooldownPeriod", "controllers.cooldown", v => To("controllers.cooldown", v)),
        Env("SPOTALIS_CONTROLLERS_WORKLOAD_COOLDOWN_PERIOD", "SPOTALIS_CONTROLLERS_COOLDOWN", v => To("controllers.cooldown", v)),
        Yaml("controllers.workloadTiming.disruptionRetryInterval", "nothing (remove it)", v => NotNeeded("controllers.workloadTiming.disruptionRetryInterval", v, "a blocked eviction (PDB, 429) is retried on the next reconcile (controllers.reconcileInterval) and on every change to the workload's pods")),
        Env("SPOTALIS_CONTROLLERS_WORKLOAD_DISRUPTION_RETRY_INTERVAL", "nothing (remove it)", v => NotNeeded("SPOTALIS_CONTROLLERS_WORKLOAD_DISRUPTION_RETRY_INTERVAL", v, "a blocked eviction (PDB, 429) is retried on the next reconcile (SPOTALIS_CONTROLLERS_RECONCILE_INTERVAL) and on every change to the workload's pods")),
        Yaml("controllers.workloadTiming.disruptionWindowPollInterval", "nothing (remove it)", v => NotNeeded("controllers.workloadTiming.disruptionWindowPollInterval", v, "the operator computes when the next disruption window opens and reconciles then")),
        Env("SPOTALIS_CONTROLLERS_WORKLOAD_DISRUPTION_WINDOW_POLL_INTERVAL", "nothing (remove it)", v => NotNeeded("SPOTALIS_CONTROLLERS_WORKLOAD_DISRUPTION_WINDOW_POLL_INTERVAL", v, "the operator computes when the next disruption window opens and reconciles then")),

        // webhook.* (enabled, port and certDir are spelled the same here)
        Yaml("webhook.certName", "nothing (the file must be tls.crt)", v => FixedFileName("webhook.certName", v, "tls.crt")),
        Yaml("webhook.keyName", "nothing (the file must be tls.key)", v => FixedFileName("webhook.keyName", v, "tls.key")),
        Env("DISABLE_WEBHOOK", "SPOTALIS_WEBHOOK_ENABLED=false", v => Negated("webhook.enabled", v)),

        // observability.*
        Yaml("observability.metrics.enabled", "nothing (/metrics is always served)", v => AlwaysOn("observability.metrics.enabled", v, "/metrics")),
        Env("SPOTALIS_METRICS_ENABLED", "nothing (/metrics is always served)", v => AlwaysOn("SPOTALIS_METRICS_ENABLED", v, "/metrics")),
        Yaml("observability.metrics.bindAddress", "metrics.address", v => Address("metrics.address", v)),
        Env("SPOTALIS_METRICS_BIND_ADDRESS", "SPOTALIS_METRICS_ADDRESS", v => Address("metrics.address", v)),
        Env("METRICS_ADDR", "SPOTALIS_METRICS_ADDRESS", v => Address("metrics.address", v)),
        Yaml("observability.metrics.path", "nothing (the path is /metrics)", v => FixedPath("observability.metrics.path", v, "/metrics")),
        Yaml("observability.health.enabled", "nothing (/healthz and /readyz are always served)", v => AlwaysOn("observability.health.enabled", v, "/healthz and /readyz")),
        Env("SPOTALIS_HEALTH_ENABLED", "nothing (/healthz and /readyz are always served)", v => AlwaysOn("SPOTALIS_HEALTH_ENABLED", v, "/healthz and /readyz")),
        Yaml("observability.health.bindAddress", "health.address", v => Address("health.address", v)),
        Env("SPOTALIS_HEALTH_BIND_ADDRESS", "SPOTALIS_HEALTH_ADDRESS", v => Address("health.address", v)),
        Env("PROBE_ADDR", "SPOTALIS_HEALTH_ADDRESS", v => Address("health.address", v)),
        Yaml("observability.health.path", "nothing (the path is /healthz)", v => FixedPath("observability.health.path", v, "/healthz")),
        Yaml("observability.logging.level", "logLevel", v => To("logLevel", v)),
        Env("SPOTALIS_LOGGING_LEVEL", "SPOTALIS_LOG_LEVEL", v => To("logLevel", v)),
        Yaml("observability.logging.format", "logFormat", v => To("logFormat", v)),
        Env("SPOTALIS_LOGGING_FORMAT", "SPOTALIS_LOG_FORMAT", v => To("logFormat", v)),
        Yaml("observability.logging.output", "nothing (logs go to standard output)", v => v.Trim().ToLowerInvariant() is "" or "stdout"
            ? GoTranslation.Nothing
            : GoTranslation.Invalid($"observability.logging.output: '{v}' is not supported; this operator logs to standard output only (remove the key)")),
        Yaml("observability.logging.addCaller", "nothing (remove it)", v => NotInGoBinary("observability.logging.addCaller", v, "log lines name their category instead of the caller")),
        Yaml("observability.logging.development", "logLevel: Debug and logFormat: text", v => NotInGoBinary("observability.logging.development", v, "use logLevel: Debug and logFormat: text for readable local logs")),
    ];

    public static GoSpelling? FindYaml(string path) =>
        All.FirstOrDefault(s => !s.IsEnvironment && string.Equals(s.Name, path, StringComparison.OrdinalIgnoreCase));

    public static GoSpelling? FindEnvironment(string name) =>
        All.FirstOrDefault(s => s.IsEnvironment && string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>True when <paramref name="path"/> is a mapping in the Go tree (e.g. <c>operator.leaderElection</c>).</summary>
    public static bool IsYamlSection(string path) =>
        All.Where(s => !s.IsEnvironment).Select(s => s.Name).Concat(SelectorLists.Keys).Append(WatchNamespacesPath)
            .Any(name => name.StartsWith(path + ".", StringComparison.OrdinalIgnoreCase));

    /// <summary>The line logged once when a Go spelling is used.</summary>
    public static string DeprecationLine(GoSpelling spelling) =>
        spelling.IsEnvironment
            ? $"environment variable {spelling.Name} is the Go Spotalis spelling; use {spelling.NewSpelling}"
            : $"config key {spelling.Name} is the Go Spotalis spelling; use {spelling.NewSpelling}";

    private static GoSpelling Yaml(string path, string newSpelling, Func<string, GoTranslation> translate) => new(path, false, newSpelling, translate);

    private static GoSpelling Env(string name, string newSpelling, Func<string, GoTranslation> translate) => new(name, true, newSpelling, translate);

    private static GoTranslation To(string path, string value) => GoTranslation.To(path, value);

    // The Go operator's namespace held its Lease and its own Service; it never limited which namespaces were watched.
    private static GoTranslation OperatorNamespace(string value) =>
        string.IsNullOrWhiteSpace(value)
            ? GoTranslation.Nothing
            : GoTranslation.ToMany(new("leaderElection.leaseNamespace", value), new("webhook.selfManaged.serviceNamespace", value));

    private static GoTranslation Negated(string path, string value) =>
        ConfigurationKeys.TryParseBool(value, out var b)
            ? To(path, b ? "false" : "true")
            : GoTranslation.Invalid($"'{value}' is not a boolean (true/false, 1/0, yes/no, on/off)");

    private static GoTranslation Address(string path, string value) =>
        value.Trim() == "0"
            ? GoTranslation.Invalid($"'0' (Go's \"serve nothing\") is not supported for {path}: this operator always serves it; give host:port")
            : To(path, value);

    private static GoTranslation AlwaysOn(string name, string value, string what) =>
        ConfigurationKeys.TryParseBool(value, out var b)
            ? b ? GoTranslation.Nothing : GoTranslation.Invalid($"{name}: false is not supported; this operator always serves {what} (remove the setting, or leave the port unexposed)")
            : GoTranslation.Invalid($"{name}: '{value}' is not a boolean (true/false, 1/0, yes/no, on/off)");

    private static GoTranslation FixedPath(string name, string value, string fixedPath) =>
        value.Trim() is "" || value.Trim() == fixedPath
            ? GoTranslation.Nothing
            : GoTranslation.Invalid($"{name}: '{value}' is not supported; this operator serves {fixedPath} (remove the key and point the scraper or probe at {fixedPath})");

    private static GoTranslation FixedFileName(string name, string value, string fileName) =>
        value.Trim() is "" || value.Trim() == fileName
            ? GoTranslation.Nothing
            : GoTranslation.Invalid($"{name}: '{value}' is not supported; this operator reads {fileName} from webhook.certDir (rename the file or the Secret key to {fileName})");

    private static GoTranslation NotInGoBinary(string name, string value, string instead) =>
        GoTranslation.NotApplied($"{name} ('{value.Trim()}') is a Go chart value the Go binary never read; not applied here either: {instead}.");

    private static GoTranslation NotNeeded(string name, string value, string why) =>
        GoDuration.TryParse(value.Trim(), out _)
            ? GoTranslation.NotApplied($"{name} ('{value.Trim()}') has no equivalent and is not applied: {why}.")
            : GoTranslation.Invalid($"{name}: '{value}' is not a duration (Go style, such as 500ms, 90s, 5m, 1h30m)");
}
