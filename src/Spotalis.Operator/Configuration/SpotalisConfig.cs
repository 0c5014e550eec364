using Microsoft.Extensions.Logging;

namespace Spotalis.Operator.Configuration;

/// <summary>
/// The operator's whole configuration. Defaults here are the built-in defaults of the product contract;
/// <see cref="ConfigurationLoader"/> layers the YAML file and <c>SPOTALIS_*</c> environment variables on top.
/// </summary>
public sealed record SpotalisConfig
{
    public static SpotalisConfig Default { get; } = new();

    /// <summary>Only this namespace is watched and managed; empty = all namespaces.</summary>
    public string Namespace { get; init; } = "";

    /// <summary>Compute and report every action without evicting or annotating anything.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Kubernetes label selector on namespaces (e.g. <c>team in (a,b)</c>); empty = every namespace.</summary>
    public string NamespaceSelector { get; init; } = "";

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    public LeaderElectionSettings LeaderElection { get; init; } = new();

    public NodeClassifierSettings NodeClassifier { get; init; } = new();

    public ControllerSettings Controllers { get; init; } = new();

    public DisruptionWindowSettings DisruptionWindow { get; init; } = new();

    public WebhookSettings Webhook { get; init; } = new();

    public EndpointSettings Metrics { get; init; } = new("0.0.0.0:8080");

    public EndpointSettings Health { get; init; } = new("0.0.0.0:8081");

    /// <summary>Lines to log once at startup: deprecated Go spellings in use and Go settings that are not applied.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}

/// <summary>Log output format.</summary>
public enum LogFormat
{
    Json,
    Text,
}

/// <summary>Leader election with a coordination.k8s.io Lease.</summary>
public sealed record LeaderElectionSettings
{
    public bool Enabled { get; init; } = true;

    public string LeaseName { get; init; } = "spotalis-leader";

    public string LeaseNamespace { get; init; } = "spotalis-system";

    /// <summary>This replica's identity in the Lease; empty = the host name.</summary>
    public string Identity { get; init; } = "";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>How nodes are classified as spot or on-demand.</summary>
public sealed record NodeClassifierSettings
{
    /// <summary>auto, karpenter, eks, gke, aks, oke or custom (none: what auto resolves to when nothing is recognised).</summary>
    public string Preset { get; init; } = "auto";

    /// <summary>Extra (or, with preset custom, the only) selectors that mark a node as spot.</summary>
    public IReadOnlyList<Spotalis.Core.NodeSelectorTerm> SpotSelectors { get; init; } = [];

    /// <summary>Extra (or, with preset custom, the only) selectors that mark a node as on-demand.</summary>
    public IReadOnlyList<Spotalis.Core.NodeSelectorTerm> OnDemandSelectors { get; init; } = [];
}

/// <summary>Workload controller timing and limits.</summary>
public sealed record ControllerSettings
{
    /// <summary>Periodic resync of every managed workload.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxConcurrentReconciles { get; init; } = 4;

    /// <summary>Per-workload pause after each eviction.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long spot-intended pods may stay unschedulable before replicas go to on-demand.</summary>
    public TimeSpan FallbackAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to stay in fallback before trying spot again.</summary>
    public TimeSpan ReclaimAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Cap of the interval between reclaim probes made without evidence of spot capacity.</summary>
    public TimeSpan ReclaimProbeMaxInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Futile moves of a workload (replacement back on the capacity type it left) before its evictions pause.</summary>
    public int FutileMoveLimit { get; init; } = 2;

    /// <summary>First pause after futile moves; doubles with each further futile move.</summary>
    public TimeSpan FutileBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Cap of the pause after futile moves.</summary>
    public TimeSpan FutileBackoffMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Global eviction rate limit (token bucket refill per second).</summary>
    public double EvictionsPerSecond { get; init; } = 1;

    /// <summary>Global eviction burst (token bucket size).</summary>
    public int EvictionBurst { get; init; } = 5;
}

/// <summary>Optional cron disruption window; evictions only while it is open.</summary>
public sealed record DisruptionWindowSettings
{
    /// <summary>5-field cron expression; empty = always open.</summary>
    public string Schedule { get; init; } = "";

    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);

    public string TimeZone { get; init; } = "UTC";
}

/// <summary>The mutating admission webhook served by the same process.</summary>
public sealed record WebhookSettings
{
    public bool Enabled { get; init; } = true;

    public int Port { get; init; } = 9443;

    /// <summary>Directory with tls.crt and tls.key; empty = self-managed certificate.</summary>
    public string CertDir { get; init; } = "";

    /// <summary>How often the operator checks that the webhook is in the admission path (a dry-run pod create).</summary>
    public TimeSpan PathCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    public SelfManagedCertificateSettings SelfManaged { get; init; } = new();
}

/// <summary>Where the self-managed webhook certificate and registration live.</summary>
public sealed record SelfManagedCertificateSettings
{
    public string SecretName { get; init; } = "spotalis-webhook-tls";

    public string ServiceName { get; init; } = "spotalis-webhook";

    public string ServiceNamespace { get; init; } = "spotalis-system";

    public string ConfigurationName { get; init; } = "spotalis";
}

/// <summary>A listen address such as <c>0.0.0.0:8080</c> (port 0 = any free port).</summary>
public sealed record EndpointSettings(string Address)
{
    /// <summary>Folder with <c>tls.crt</c>/<c>tls.key</c> to serve HTTPS from (reloaded when they change); empty = plain HTTP.</summary>
    public string CertDir { get; init; } = "";
}
