using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Workloads;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Hosting;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Certificates;
using Spotalis.Operator.Webhook.Placement;
using k8s;

namespace Spotalis.Operator.Webhook;

/// <summary>Registers the admission webhook in the operator host.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AdmissionHandler"/> and the <see cref="WebhookEndpoint"/>: its HTTPS listener on
    /// <see cref="WebhookOptions.Port"/> joins the host's Kestrel server (an <see cref="EndpointListener"/> in the container),
    /// with certificates from <see cref="WebhookOptions.CertDir"/> or, when it is empty, self-managed ones (which need
    /// an <see cref="IKubernetes"/> in the container). Needs an <see cref="IClusterView"/> registered by the host.
    /// Does nothing when <see cref="WebhookOptions.Enabled"/> is false. The options must be valid
    /// (<see cref="WebhookOptions.Validate"/>, run by <see cref="Configuration.SettingsValidator"/> for the operator). Without <paramref name="placement"/>, the
    /// <see cref="WebhookPlacementSettings"/> registered in the container are used (else the defaults).
    /// </summary>
    public static IServiceCollection AddSpotalisWebhook(
        this IServiceCollection services,
        WebhookOptions options,
        WebhookPlacementSettings? placement = null,
        IServingCertificateSource? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new WebhookMetrics());
        services.AddSingleton(options);
        if (placement is not null)
        {
            services.AddSingleton(placement);
        }
        else
        {
            services.TryAddSingleton(WebhookPlacementSettings.Default);
        }

        services.AddSingleton(sp => new AdmissionHandler(
            sp.GetRequiredService<IClusterView>(),
            sp.GetRequiredService<WebhookPlacementSettings>(),
            sp.GetRequiredService<WebhookMetrics>(),
            sp.GetRequiredService<ILogger<AdmissionHandler>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IKubernetes>() is { } client ? LivePods(client) : null));

        if (certificates is not null)
        {
            services.AddSingleton(certificates);
        }
        else if (options.UsesSelfManagedCertificates)
        {
            services.AddSingleton(sp => new SelfManagedCertificates(
                sp.GetRequiredService<IKubernetes>(),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SelfManagedCertificates>>()));
            services.AddSingleton<IServingCertificateSource>(sp => sp.GetRequiredService<SelfManagedCertificates>());
            services.AddHostedService(sp => sp.GetRequiredService<SelfManagedCertificates>());
        }
        else
        {
            services.AddSingleton<IServingCertificateSource>(sp => new FileCertificateSource(
                options.CertDir,
                options.CertificatePollInterval,
                sp.GetRequiredService<ILogger<FileCertificateSource>>()));
        }

        services.AddSingleton(sp => new WebhookEndpoint(
            options,
            sp.GetRequiredService<AdmissionHandler>(),
            sp.GetRequiredService<IServingCertificateSource>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<AdmissionForwarder>()));
        services.AddSingleton(sp => sp.GetRequiredService<WebhookEndpoint>().Listener);
        services.AddOptions<KestrelServerOptions>().Configure<WebhookEndpoint>((kestrel, webhook) => webhook.ConfigureKestrel(kestrel));
        return services;
    }

    private static LivePodReader LivePods(IKubernetes client) => async (namespaceName, labelSelector, cancellationToken) =>
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync(namespaceName, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return pods.Items
            .Where(p => PodLiveness.IsLive(p.Status?.Phase, p.Metadata.DeletionTimestamp is not null))
            .Select(p => p.Metadata.Name)
            .ToHashSet(StringComparer.Ordinal);
    };
}
