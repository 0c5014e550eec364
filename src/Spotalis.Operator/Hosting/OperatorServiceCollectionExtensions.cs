using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Certificates;
using Spotalis.Operator.Webhook.Placement;
using k8s;

namespace Spotalis.Operator.Hosting;

/// <summary>Registers the operator in a generic host (<c>spotalis run</c>, the demo and tests use it through <see cref="OperatorHost"/>).</summary>
public static class OperatorServiceCollectionExtensions
{
    /// <summary>The key of the <see cref="TimeProvider"/> the workload controller decides by (cooldowns, windows, fallback, resync).</summary>
    public const string ControllerClock = "spotalis-controller-clock";

    /// <summary>How long a follower waits for the leader's webhook before deciding itself (the apiserver allows 2 s).</summary>
    private static readonly TimeSpan AdmissionForwardTimeout = TimeSpan.FromMilliseconds(750);

    /// <summary>
    /// Adds the operator's services, its hosted services and its HTTP endpoints. The hosted services start in this
    /// order: watch cache, admission-path monitor, leader webhook directory, webhook certificates, any extra services
    /// of <see cref="OperatorHostOptions.ConfigureServices"/>, leadership, workload controller; the host's Kestrel
    /// server (one <see cref="EndpointListener"/> per port: metrics, health, the webhook) starts after them. On stop,
    /// leadership and the controller do their part in the host's stopping phase (<see cref="IHostedLifecycleService.StoppingAsync"/>),
    /// before any listener closes: the controller finishes its in-flight evictions, then the Lease is released, while
    /// the webhook keeps admitting and metrics and health keep answering; then the server stops, then the rest in
    /// reverse order, the cache last.
    /// Needs an <see cref="IKubernetes"/> in the container. <paramref name="settings"/> must be validated
    /// (<see cref="SettingsValidator"/>) and its <c>auto</c> preset resolved; each part is bound from it once here
    /// (<see cref="ReconcilerOptions"/>, <see cref="WebhookOptions"/>, <see cref="WebhookPlacementSettings"/>) and injected.
    /// </summary>
    /// <param name="detection">What provider discovery found at start (NodePools that allow spot), if it ran.</param>
    public static IServiceCollection AddSpotalisOperator(
        this IServiceCollection services,
        SpotalisConfig settings,
        OperatorHostOptions? options = null,
        PresetDetection? detection = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new OperatorHostOptions();
        var identity = string.IsNullOrWhiteSpace(settings.LeaderElection.Identity) ? Environment.MachineName : settings.LeaderElection.Identity;

        services.AddSingleton(settings);
        services.AddSingleton(settings.Controllers);

        // Certificates and admission run on real time; only the controller's decisions follow the given clock.
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(ControllerClock, options.TimeProvider ?? TimeProvider.System);
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton(sp => new WebhookMetrics(sp.GetRequiredService<OperatorMetrics>().Registry));

        services.AddSingleton(sp => new ClusterCache(
            sp.GetRequiredService<IKubernetes>(), settings.Namespace, sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<ILogger<ClusterCache>>()));
        services.AddSingleton<IClusterView>(sp => sp.GetRequiredService<ClusterCache>());
        services.AddSingleton(sp => new SpotOfferView(
            sp.GetRequiredService<IClusterView>(),
            new NodeClassifier(ReconcilerOptions.PresetFor(settings.NodeClassifier)),
            detection?.ProvisionerAllowsSpot,
            TimeProvider.System));
        services.AddSingleton(sp => ReconcilerOptions.From(settings) with { SpotNotOffered = sp.GetRequiredService<SpotOfferView>().WhyNot });

        services.AddSingleton(sp => new LeadershipService(
            sp.GetRequiredService<IKubernetes>(), settings.LeaderElection, identity, sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<ILogger<LeadershipService>>()));
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeadershipService>());

        services.AddSingleton(sp => new EventRecorder(
            sp.GetRequiredService<IKubernetes>(), identity, sp.GetRequiredKeyedService<TimeProvider>(ControllerClock), sp.GetRequiredService<ILogger<EventRecorder>>()));
        if (options.PodActions is { } podActions)
        {
            services.AddSingleton(podActions);
        }
        else
        {
            services.AddSingleton<IPodActions, KubernetesPodActions>();
        }

        services.AddSingleton(sp => new AdmissionPathMonitor(
            new AdmissionPathProbe(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IClusterView>()),
            sp.GetRequiredService<IClusterView>(),
            settings.Webhook.SelfManaged.ConfigurationName,
            settings.Webhook.PathCheckInterval,
            sp.GetRequiredService<OperatorMetrics>(),
            sp.GetRequiredService<ILogger<AdmissionPathMonitor>>()));
        services.AddSingleton(sp =>
        {
            var pathMonitor = sp.GetRequiredService<AdmissionPathMonitor>();
            return new WorkloadReconciler(
                sp.GetRequiredService<IClusterView>(),
                sp.GetRequiredService<IPodActions>(),
                sp.GetRequiredService<ReconcilerOptions>(),
                sp.GetRequiredKeyedService<TimeProvider>(ControllerClock),
                sp.GetRequiredService<ILogger<WorkloadReconciler>>(),
                sp.GetRequiredService<OperatorMetrics>(),
                sp.GetRequiredService<ILeadership>(),
                EvictionLimiter(settings.Controllers))
            {
                AdmissionPathProblem = () => pathMonitor.Problem,
                AdmissionPathConfirmedAt = () => pathMonitor.ConfirmedAt,
            };
        });
        services.AddSingleton<WorkloadController>();

        services.AddSingleton(sp => new ObservabilityEndpoints(
            settings, sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<IClusterView>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<WebhookWarmUp>()));
        services.AddSingleton(sp => sp.GetRequiredService<ObservabilityEndpoints>().Listeners[0]);
        if (settings.Metrics.Address != settings.Health.Address)
        {
            services.AddSingleton(sp => sp.GetRequiredService<ObservabilityEndpoints>().Listeners[1]);
        }

        services.AddOptions<KestrelServerOptions>().Configure<ObservabilityEndpoints>((kestrel, endpoints) => endpoints.ConfigureKestrel(kestrel));
        services.AddHostedService<ClusterCacheService>();
        services.AddHostedService(sp => sp.GetRequiredService<AdmissionPathMonitor>());
        AddWebhook(services, settings, options);
        options.ConfigureServices?.Invoke(services, settings);

        // Leader-only work starts last and stops first (in the stopping phase, while the endpoints still answer).
        services.AddHostedService(sp => sp.GetRequiredService<LeadershipService>());
        services.AddHostedService(sp => sp.GetRequiredService<WorkloadController>());
        return services;
    }

    /// <summary>
    /// The admission webhook serves from the same cache on every replica (leader or not); with leader election,
    /// followers hand each review to the leader's webhook so that one process makes every placement decision.
    /// </summary>
    private static void AddWebhook(IServiceCollection services, SpotalisConfig settings, OperatorHostOptions options)
    {
        var webhook = WebhookOptions.From(settings);
        if (!webhook.Enabled)
        {
            return;
        }

        webhook = options.ConfigureWebhook?.Invoke(webhook) ?? webhook;
        if (settings.LeaderElection.Enabled)
        {
            services.AddSingleton(sp =>
            {
                var directory = new LeaderWebhookDirectory(
                    sp.GetRequiredService<IKubernetes>(),
                    settings.LeaderElection,
                    sp.GetRequiredService<ILeadership>(),
                    () => sp.GetService<WebhookEndpoint>()?.Address is { } bound
                        ? new UriBuilder(Uri.UriSchemeHttps, LeaderWebhookDirectory.AdvertisedHost(webhook.ListenAddress), bound.Port, MutatingWebhookConfigurationFactory.Path).Uri
                        : null,
                    TimeProvider.System,
                    sp.GetRequiredService<ILogger<LeaderWebhookDirectory>>());

                // The server listens after the hosted services started: a leader elected before that advertises then.
                sp.GetService<IHostApplicationLifetime>()?.ApplicationStarted.Register(directory.Wake);
                return directory;
            });
            services.AddHostedService(sp => sp.GetRequiredService<LeaderWebhookDirectory>());
            services.AddSingleton(sp => new AdmissionForwarder(
                sp.GetRequiredService<ILeadership>(),
                () => sp.GetRequiredService<LeaderWebhookDirectory>().LeaderEndpoint,
                sp.GetRequiredService<IServingCertificateSource>(),
                sp.GetRequiredService<WebhookMetrics>(),
                AdmissionForwardTimeout,
                sp.GetRequiredService<ILogger<AdmissionForwarder>>()));
        }

        services.AddSingleton(sp => WebhookPlacementSettings.From(settings, sp.GetRequiredService<SpotOfferView>().WhyNot));
        services.AddSpotalisWebhook(webhook);
        services.AddSingleton(sp => new WebhookWarmUp(
            sp.GetRequiredService<WebhookEndpoint>(),
            sp.GetRequiredService<IServingCertificateSource>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            TimeProvider.System,
            sp.GetRequiredService<ILogger<WebhookWarmUp>>()));
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWarmUp>());
    }

    /// <summary>The global eviction budget (<c>controllers.evictionsPerSecond</c>, <c>controllers.evictionBurst</c>).</summary>
    private static TokenBucketRateLimiter EvictionLimiter(ControllerSettings controllers) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = controllers.EvictionBurst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1 / controllers.EvictionsPerSecond),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
