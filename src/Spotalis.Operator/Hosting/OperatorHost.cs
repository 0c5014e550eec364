using System.Threading.RateLimiting;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Core;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Kubernetes;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;
using Spotalis.Operator.Webhook;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// The running operator: watch cache, leader election, workload controller, metrics/health endpoints, and any
/// extra hosted services (the admission webhook) registered through <see cref="OperatorHostOptions.ConfigureServices"/>.
/// <c>spotalis run</c>, the demo and the end-to-end tests all start it through <see cref="StartAsync"/>.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(20);

    /// <summary>How long a follower waits for the leader's webhook before deciding itself (the apiserver allows 2 s).</summary>
    private static readonly TimeSpan AdmissionForwardTimeout = TimeSpan.FromMilliseconds(750);

    private readonly IHost _host;
    private readonly CancellationTokenSource _stopping;
    private readonly CancellationTokenSource _abort;
    private readonly CancellationTokenSource _background;
    private readonly CancellationTokenSource _resign;
    private readonly ObservabilityServer _observability;
    private readonly Task _controllerTask;
    private readonly Task _leadershipTask;
    private readonly Task _cacheTask;
    private readonly ILogger _logger;
    private int _stopped;

    private OperatorHost(IHost host, ObservabilityServer observability, Task controllerTask, Task leadershipTask, Task cacheTask,
        CancellationTokenSource stopping, CancellationTokenSource abort, CancellationTokenSource background, CancellationTokenSource resign)
    {
        _resign = resign;
        _host = host;
        _observability = observability;
        _controllerTask = controllerTask;
        _leadershipTask = leadershipTask;
        _cacheTask = cacheTask;
        _stopping = stopping;
        _abort = abort;
        _background = background;
        _logger = host.Services.GetRequiredService<ILogger<OperatorHost>>();
    }

    public SpotalisConfig Config => Services.GetRequiredService<SpotalisConfig>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The watch cache (also the webhook's view).</summary>
    public ClusterCache Cache => Services.GetRequiredService<ClusterCache>();

    public WorkloadReconciler Reconciler => Services.GetRequiredService<WorkloadReconciler>();

    public OperatorMetrics Metrics => Services.GetRequiredService<OperatorMetrics>();

    public LeadershipService Leadership => Services.GetRequiredService<LeadershipService>();

    public bool IsLeader => Leadership.IsLeader;

    public Uri MetricsUri => _observability.MetricsUri;

    public Uri HealthUri => _observability.HealthUri;

    /// <summary>Completes when the operator has stopped.</summary>
    public Task Completion => Task.WhenAll(_controllerTask, _leadershipTask, _cacheTask);

    public static Task<OperatorHost> StartAsync(SpotalisConfig config, string? kubeconfigPath, CancellationToken cancellationToken = default) =>
        StartAsync(config, kubeconfigPath, new OperatorHostOptions(), cancellationToken);

    public static async Task<OperatorHost> StartAsync(SpotalisConfig config, string? kubeconfigPath, OperatorHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var problems = ConfigurationLoader.Validate(config);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        var client = new k8s.Kubernetes(KubernetesConnection.Resolve(kubeconfigPath));
        var (detection, discoveryError) = await DiscoverAsync(client, config, cancellationToken);
        var configuredPreset = config.NodeClassifier.Preset;
        if (configuredPreset == NodePresets.AutoName)
        {
            config = config with { NodeClassifier = config.NodeClassifier with { Preset = detection?.Preset?.Name ?? NodePresets.NoneName } };
        }

        SpotOfferView? spotOffer = null;
        Func<string?> spotNotOffered = () => spotOffer?.WhyNot();
        var reconcilerOptions = ReconcilerOptions.From(config) with { SpotNotOffered = spotNotOffered };
        var identity = string.IsNullOrWhiteSpace(config.LeaderElection.Identity) ? Environment.MachineName : config.LeaderElection.Identity;
        var time = options.TimeProvider ?? TimeProvider.System;

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (options.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
            builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        }
        else
        {
            builder.Services.AddLogging(logging => OperatorLogging.Configure(logging, config));
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownGrace);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<IKubernetes>(client);
        // Certificates and admission run on real time; only the controller's decisions follow the given clock.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new OperatorMetrics());
        builder.Services.AddSingleton(sp => new ClusterCache(client, config.Namespace, sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<ILogger<ClusterCache>>()));
        builder.Services.AddSingleton<IClusterView>(sp => sp.GetRequiredService<ClusterCache>());
        builder.Services.AddSingleton(sp => new LeadershipService(client, config.LeaderElection, identity, sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<ILogger<LeadershipService>>()));
        builder.Services.AddSingleton(sp => new EventRecorder(client, identity, time, sp.GetRequiredService<ILogger<EventRecorder>>()));
        builder.Services.AddSingleton<IPodActions>(sp => options.PodActions ?? new KubernetesPodActions(client, sp.GetRequiredService<EventRecorder>()));
        builder.Services.AddSingleton(sp =>
        {
            var leadership = sp.GetRequiredService<LeadershipService>();
            var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = config.Controllers.EvictionBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / config.Controllers.EvictionsPerSecond),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
            var pathMonitor = sp.GetRequiredService<AdmissionPathMonitor>();
            return new WorkloadReconciler(
                sp.GetRequiredService<IClusterView>(),
                sp.GetRequiredService<IPodActions>(),
                reconcilerOptions,
                time,
                sp.GetRequiredService<ILogger<WorkloadReconciler>>(),
                sp.GetRequiredService<OperatorMetrics>(),
                () => leadership.IsLeader,
                limiter)
            {
                AdmissionPathProblem = () => pathMonitor.Problem,
                AdmissionPathConfirmedAt = () => pathMonitor.ConfirmedAt,
            };
        });
        builder.Services.AddSingleton(sp => new AdmissionPathMonitor(
            new AdmissionPathProbe(client, sp.GetRequiredService<IClusterView>()),
            sp.GetRequiredService<IClusterView>(),
            config.Webhook.SelfManaged.ConfigurationName,
            config.Webhook.PathCheckInterval,
            sp.GetRequiredService<OperatorMetrics>(),
            sp.GetRequiredService<ILogger<AdmissionPathMonitor>>()));
        builder.Services.AddSingleton(sp => new WorkloadController(
            sp.GetRequiredService<ClusterCache>(), sp.GetRequiredService<WorkloadReconciler>(), config.Controllers, time, sp.GetRequiredService<ILogger<WorkloadController>>()));

        builder.Services.AddSingleton(sp => new WebhookMetrics(sp.GetRequiredService<OperatorMetrics>().Registry));

        // The admission webhook serves from the same cache on every replica (leader or not); with leader election,
        // followers hand each review to the leader's webhook so that one process makes every placement decision.
        WebhookWiring.Register(builder.Services, config, options.ConfigureWebhook, spotNotOffered);
        if (config.LeaderElection.Enabled && config.Webhook.Enabled)
        {
            builder.Services.AddSingleton(sp => new LeaderWebhookDirectory(
                client,
                config.LeaderElection,
                sp.GetRequiredService<LeadershipService>(),
                () => sp.GetService<WebhookServer>()?.Address is { } bound
                    ? new UriBuilder(Uri.UriSchemeHttps, LeaderWebhookDirectory.AdvertisedHost(sp.GetRequiredService<WebhookOptions>().ListenAddress), bound.Port, MutatingWebhookConfigurationFactory.Path).Uri
                    : null,
                TimeProvider.System,
                sp.GetRequiredService<ILogger<LeaderWebhookDirectory>>()));
            builder.Services.AddSingleton(sp => new AdmissionForwarder(
                () => sp.GetRequiredService<LeadershipService>().IsLeader,
                () => sp.GetRequiredService<LeaderWebhookDirectory>().LeaderEndpoint,
                sp.GetRequiredService<IServingCertificateSource>(),
                sp.GetRequiredService<WebhookMetrics>(),
                AdmissionForwardTimeout,
                sp.GetRequiredService<ILogger<AdmissionForwarder>>()));
        }

        options.ConfigureServices?.Invoke(builder.Services, config);

        var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<OperatorHost>>();
        logger.LogInformation("Starting Spotalis operator {Identity} (namespace: {Namespace}, read-only: {ReadOnly}, leader election: {LeaderElection})",
            identity, string.IsNullOrEmpty(config.Namespace) ? "all" : config.Namespace, config.ReadOnly, config.LeaderElection.Enabled);

        foreach (var notice in config.Notices)
        {
            logger.LogWarning("Configuration: {Notice}", notice);
        }

        var cache = host.Services.GetRequiredService<ClusterCache>();
        spotOffer = new SpotOfferView(cache, reconcilerOptions.Classifier, detection?.ProvisionerAllowsSpot, TimeProvider.System);
        LogDiscovery(logger, configuredPreset, config.NodeClassifier.Preset, detection, discoveryError);
        var observability = await ObservabilityServer.StartAsync(config, host.Services.GetRequiredService<OperatorMetrics>(), cache,
            host.Services.GetRequiredService<ILoggerFactory>(), cancellationToken);
        await host.StartAsync(cancellationToken);

        var background = new CancellationTokenSource();
        var stopping = new CancellationTokenSource();
        var abort = new CancellationTokenSource();

        // Leadership is given up only once the controller has finished its in-flight work (see StopAsync).
        var resign = new CancellationTokenSource();
        var cacheTask = Task.Run(() => cache.RunAsync(background.Token), CancellationToken.None);
        var pathMonitor = host.Services.GetRequiredService<AdmissionPathMonitor>();
        _ = Task.Run(() => pathMonitor.RunAsync(background.Token), CancellationToken.None);
        var leadership = host.Services.GetRequiredService<LeadershipService>();
        var controller = host.Services.GetRequiredService<WorkloadController>();
        leadership.StartedLeading += controller.EnqueueAll;
        var leadershipTask = Task.Run(() => leadership.RunAsync(resign.Token), CancellationToken.None);
        if (host.Services.GetService<LeaderWebhookDirectory>() is { } directory)
        {
            _ = Task.Run(() => directory.RunAsync(background.Token), CancellationToken.None);
        }

        var controllerTask = Task.Run(async () =>
        {
            try
            {
                await controller.RunAsync(stopping.Token, abort.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped before or while syncing.
            }
        }, CancellationToken.None);
        return new OperatorHost(host, observability, controllerTask, leadershipTask, cacheTask, stopping, abort, background, resign);
    }

    /// <summary>Reads node labels and Karpenter NodePools when the preset is <c>auto</c> or <c>karpenter</c>.</summary>
    private static async Task<(PresetDetection? Detection, string? Error)> DiscoverAsync(k8s.IKubernetes client, SpotalisConfig config, CancellationToken cancellationToken)
    {
        if (config.NodeClassifier.Preset is not (NodePresets.AutoName or NodePresets.KarpenterName))
        {
            return (null, null);
        }

        try
        {
            return (await ProviderDiscovery.DiscoverAsync(client, cancellationToken), null);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            return (null, e.Message);
        }
    }

    private static void LogDiscovery(ILogger logger, string configured, string used, PresetDetection? detection, string? error)
    {
        if (error is not null)
        {
            logger.LogWarning("Could not read nodes and NodePools to detect the provider ({Error}); nodeClassifier.preset {Configured} uses {Preset}",
                error, configured, used);
        }
        else if (configured == NodePresets.AutoName && detection?.Preset is null)
        {
            logger.LogWarning("nodeClassifier.preset auto: {Finding}", detection?.Finding ?? "nothing read");
        }
        else if (detection is not null)
        {
            logger.LogInformation("nodeClassifier.preset {Configured}: {Finding}", configured, detection.Finding);
        }

        if (detection?.ProvisionerAllowsSpot == false)
        {
            logger.LogWarning("No Karpenter NodePool allows spot: pods are steered to spot only while spot nodes exist");
        }
    }

    /// <summary>
    /// Graceful shutdown: stop taking work, let in-flight reconciles (and their eviction call) finish, release the
    /// lease, then stop watching and serving.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _logger.LogInformation("Shutting down: finishing in-flight work");
        await _stopping.CancelAsync();
        _abort.CancelAfter(ShutdownGrace);
        await _controllerTask.WaitAsync(cancellationToken);

        // No eviction is in flight any more: release the Lease so that a follower leads within its retry period.
        await _resign.CancelAsync();
        await _leadershipTask.WaitAsync(cancellationToken);
        await _background.CancelAsync();
        await _cacheTask.WaitAsync(cancellationToken);
        await _host.StopAsync(cancellationToken);
        await _observability.DisposeAsync();
        _logger.LogInformation("Stopped");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
            _stopping.Dispose();
            _abort.Dispose();
            _background.Dispose();
            _resign.Dispose();
        }
    }
}
