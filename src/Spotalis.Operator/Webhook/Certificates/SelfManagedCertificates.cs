using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>
/// Self-managed certificates: keeps a CA and serving certificate in a Secret (creating or renewing them when due,
/// see <see cref="CertificateRenewalPolicy"/>), serves the certificate from that Secret, and keeps the
/// MutatingWebhookConfiguration's <c>caBundle</c> in step. Every replica runs this; the Secret is the single source
/// of truth and writes use resourceVersion preconditions, so replicas racing to renew all end up on one bundle.
/// </summary>
public sealed partial class SelfManagedCertificates : BackgroundService, IServingCertificateSource
{
    public const string CaCertificateKey = "ca.crt";
    public const string CaKeyKey = "ca.key";
    public const string CaBundleKey = "ca-bundle.crt";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(15);

    private readonly IKubernetes _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile X509Certificate2? _current;
    private string? _currentPem;

    public SelfManagedCertificates(IKubernetes client, WebhookOptions options, TimeProvider time, ILogger<SelfManagedCertificates> logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public X509Certificate2? Current => _current;

    /// <summary>The host names the serving certificate must cover: the Service's DNS names and the URL's host, if any.</summary>
    public IReadOnlyList<string> Hosts
    {
        get
        {
            var hosts = WebhookCertificateIssuer.ServiceDnsNames(_options.ServiceName, _options.ServiceNamespace).ToList();
            if (Uri.TryCreate(_options.Url, UriKind.Absolute, out var url))
            {
                var host = url.Host.Trim('[', ']');
                if (!hosts.Contains(host))
                {
                    hosts.Add(host);
                }
            }

            return hosts;
        }
    }

    /// <summary>One pass: make sure the Secret holds a valid bundle, serve it, and point the configuration at its CA.</summary>
    public async Task<CertificateBundle> EnsureAsync(CancellationToken cancellationToken)
    {
        var bundle = await EnsureSecretAsync(cancellationToken).ConfigureAwait(false);
        if (bundle.CertificatePem != _currentPem)
        {
            _current = bundle.LoadServingCertificate();
            _currentPem = bundle.CertificatePem;
            Log.SelfManagedServing(_logger, _current.NotAfter);
        }

        await EnsureConfigurationAsync(bundle.CaBundlePem, cancellationToken).ConfigureAwait(false);
        return bundle;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = _options.SelfManagedCheckInterval;
            try
            {
                await EnsureAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Keep retrying: without a certificate the webhook is skipped (failurePolicy Ignore), never fatal.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SelfManagedFailed(_logger, ex.Message, ex);
                delay = RetryDelay;
            }

            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<CertificateBundle> EnsureSecretAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var secret = await ReadSecretAsync(cancellationToken).ConfigureAwait(false);
            var stored = secret is null ? null : FromSecret(secret);
            var hosts = Hosts;
            var now = _time.GetUtcNow();
            var (renewal, reason) = CertificateRenewalPolicy.Evaluate(stored, hosts, now);
            if (renewal == CertificateRenewal.None)
            {
                return stored!;
            }

            var renewed = renewal == CertificateRenewal.Serving && stored is not null
                ? WebhookCertificateIssuer.RenewServing(stored, hosts, now)
                : WebhookCertificateIssuer.CreateBundle(hosts, now, stored?.CaCertificatePem);
            Log.SelfManagedRenewed(_logger, renewal, reason);
            try
            {
                if (secret is null)
                {
                    await _client.CoreV1.CreateNamespacedSecretAsync(
                        ToSecret(renewed, null), _options.ServiceNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _client.CoreV1.ReplaceNamespacedSecretAsync(
                        ToSecret(renewed, secret), _options.SelfManagedSecretName, _options.ServiceNamespace, cancellationToken: cancellationToken)
                        .ConfigureAwait(false);
                }

                return renewed;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                // Another replica wrote first: adopt its bundle on the next pass.
            }
        }
    }

    private async Task<V1Secret?> ReadSecretAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedSecretAsync(
                _options.SelfManagedSecretName, _options.ServiceNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task EnsureConfigurationAsync(string caBundlePem, CancellationToken cancellationToken)
    {
        var desired = Uri.TryCreate(_options.Url, UriKind.Absolute, out var url)
            ? MutatingWebhookConfigurationFactory.ForUrl(_options.ConfigurationName, url, caBundlePem, _options.PodSelection, _options.ServiceNamespace)
            : MutatingWebhookConfigurationFactory.ForService(
                _options.ConfigurationName, _options.ServiceName, _options.ServiceNamespace, caBundlePem, _options.ServicePort, _options.PodSelection);
        V1MutatingWebhookConfiguration? existing;
        try
        {
            existing = await _client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(
                _options.ConfigurationName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            existing = null;
        }

        if (existing is null)
        {
            await _client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(desired, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            Log.SelfManagedConfigured(_logger, _options.ConfigurationName);
            return;
        }

        // Only the caBundle is ours to keep in step: selectors and the rest may come from the chart (user values).
        // Registered by URL (an operator next to the cluster), the URL is ours too: a restart on a new port must not
        // leave the API server calling the old one.
        var caBundle = Encoding.UTF8.GetBytes(caBundlePem);
        var ownUrl = url?.ToString();
        if (existing.Webhooks is null || existing.Webhooks.Count == 0)
        {
            existing.Webhooks = desired.Webhooks;
        }
        else if (existing.Webhooks.All(w => w.ClientConfig?.CaBundle is { } current && current.AsSpan().SequenceEqual(caBundle) &&
                                            (ownUrl is null || w.ClientConfig.Url == ownUrl)))
        {
            return;
        }
        else
        {
            foreach (var webhook in existing.Webhooks)
            {
                webhook.ClientConfig ??= new Admissionregistrationv1WebhookClientConfig();
                webhook.ClientConfig.CaBundle = caBundle;
                if (ownUrl is not null)
                {
                    webhook.ClientConfig.Url = ownUrl;
                    webhook.ClientConfig.Service = null;
                }
            }
        }

        await _client.AdmissionregistrationV1.ReplaceMutatingWebhookConfigurationAsync(
            existing, _options.ConfigurationName, cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.SelfManagedConfigured(_logger, _options.ConfigurationName);
    }

    internal static CertificateBundle? FromSecret(V1Secret secret)
    {
        string? Get(string key) => secret.Data is not null && secret.Data.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null;
        var caCertificate = Get(CaCertificateKey);
        var caKey = Get(CaKeyKey);
        var certificate = Get("tls.crt");
        var key = Get("tls.key");
        if (caCertificate is null || caKey is null || certificate is null || key is null)
        {
            return null;
        }

        return new CertificateBundle(caCertificate, caKey, certificate, key, Get(CaBundleKey) ?? caCertificate);
    }

    private V1Secret ToSecret(CertificateBundle bundle, V1Secret? existing)
    {
        var secret = existing ?? new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = _options.SelfManagedSecretName,
                NamespaceProperty = _options.ServiceNamespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "spotalis" },
            },
            Type = "kubernetes.io/tls",
        };
        secret.Data = new Dictionary<string, byte[]>
        {
            ["tls.crt"] = Encoding.UTF8.GetBytes(bundle.CertificatePem),
            ["tls.key"] = Encoding.UTF8.GetBytes(bundle.KeyPem),
            [CaCertificateKey] = Encoding.UTF8.GetBytes(bundle.CaCertificatePem),
            [CaKeyKey] = Encoding.UTF8.GetBytes(bundle.CaKeyPem),
            [CaBundleKey] = Encoding.UTF8.GetBytes(bundle.CaBundlePem),
        };
        return secret;
    }
}
