using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Webhook;

/// <summary>
/// The <c>webhook.*</c> configuration keys. An empty <see cref="CertDir"/> selects self-managed certificates
/// (generated CA and serving certificate stored in a Secret, <c>caBundle</c> written into the
/// MutatingWebhookConfiguration); otherwise <c>tls.crt</c>/<c>tls.key</c> are read from that folder and
/// reloaded whenever they change.
/// </summary>
public sealed record WebhookOptions
{
    public const int DefaultPort = 9443;

    public bool Enabled { get; init; } = true;

    public int Port { get; init; } = DefaultPort;

    public string CertDir { get; init; } = "";

    public string SelfManagedSecretName { get; init; } = "spotalis-webhook-tls";

    public string ServiceName { get; init; } = "spotalis-webhook";

    public string ServiceNamespace { get; init; } = "spotalis-system";

    public string ConfigurationName { get; init; } = "spotalis";

    /// <summary>
    /// Self-managed mode: when set, the MutatingWebhookConfiguration calls this https URL instead of the Service, and the
    /// serving certificate also covers its host (a webhook running outside the cluster, e.g. next to a local simulator).
    /// </summary>
    public string Url { get; init; } = "";

    /// <summary>The Service port the apiserver calls (the Service forwards it to <see cref="Port"/>).</summary>
    public int ServicePort { get; init; } = 443;

    /// <summary>Which pods the generated MutatingWebhookConfiguration sends to the webhook.</summary>
    public WebhookPodSelection PodSelection { get; init; } = WebhookPodSelection.OptedIn;

    /// <summary>Address to listen on; "0.0.0.0" (every interface) in a pod, 127.0.0.1 in tests.</summary>
    public string ListenAddress { get; init; } = "0.0.0.0";

    /// <summary>
    /// These options serving on the loopback address only, registered by URL instead of by Service: for an operator
    /// that runs next to the cluster it serves (the demo, tests and benchmarks against the simulator).
    /// </summary>
    public WebhookOptions OnLoopback() => this with
    {
        ListenAddress = "127.0.0.1",
        Url = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"https://127.0.0.1:{Port}{MutatingWebhookConfigurationFactory.Path}"),
    };

    /// <summary>Upper bound for one request, well above the apiserver's 2 s webhook timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often certificate files (certDir mode) are checked for changes, besides file-system events.</summary>
    public TimeSpan CertificatePollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the self-managed Secret is re-read (another replica may have rotated it) and renewed when due.</summary>
    public TimeSpan SelfManagedCheckInterval { get; init; } = TimeSpan.FromHours(1);

    public bool UsesSelfManagedCertificates => string.IsNullOrWhiteSpace(CertDir);

    /// <summary>Binds the <c>webhook.*</c> keys of a configuration.</summary>
    public static WebhookOptions From(SpotalisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var webhook = config.Webhook;
        return new WebhookOptions
        {
            Enabled = webhook.Enabled,
            Port = webhook.Port,
            CertDir = webhook.CertDir,
            SelfManagedSecretName = webhook.SelfManaged.SecretName,
            ServiceName = webhook.SelfManaged.ServiceName,
            ServiceNamespace = webhook.SelfManaged.ServiceNamespace,
            ConfigurationName = webhook.SelfManaged.ConfigurationName,
        };
    }

    /// <summary>A message per invalid setting; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"webhook.port: {Port} is not a TCP port (1-65535; 0 picks a free port)");
        }

        if (Url.Length > 0 && (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"webhook url: '{Url}' is not an absolute https URL");
        }

        if (UsesSelfManagedCertificates)
        {
            if (string.IsNullOrWhiteSpace(SelfManagedSecretName))
            {
                errors.Add("webhook.selfManaged.secretName: must not be empty when webhook.certDir is empty");
            }

            if (string.IsNullOrWhiteSpace(ServiceName))
            {
                errors.Add("webhook.selfManaged.serviceName: must not be empty when webhook.certDir is empty");
            }

            if (string.IsNullOrWhiteSpace(ServiceNamespace))
            {
                errors.Add("webhook.selfManaged.serviceNamespace: must not be empty when webhook.certDir is empty");
            }

            if (string.IsNullOrWhiteSpace(ConfigurationName))
            {
                errors.Add("webhook.selfManaged.configurationName: must not be empty when webhook.certDir is empty");
            }
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"webhook request timeout must be positive, got {RequestTimeout}");
        }

        return errors;
    }
}
