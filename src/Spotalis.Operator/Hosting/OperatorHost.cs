using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Kubernetes;
using Spotalis.Operator.Leadership;
using Spotalis.Operator.Observability;
using Spotalis.Operator.Reconciliation;
using k8s;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// The running operator: one host (an ASP.NET Core <see cref="WebApplication"/> with one Kestrel server: a listener
/// per port for the webhook, metrics and health) with the services of <see cref="OperatorServiceCollectionExtensions.AddSpotalisOperator"/>,
/// started after the two steps that need the API server before anything is wired (connecting and, for the
/// <c>auto</c>/<c>karpenter</c> presets, discovering the provider). <c>spotalis run</c>, the demo and the end-to-end
/// tests all start it through <see cref="StartAsync(SpotalisConfig, string?, OperatorHostOptions, CancellationToken)"/>.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    /// <summary>Upper bound of a whole stop: the controller's grace for in-flight work plus releasing the Lease and closing listeners.</summary>
    private static readonly TimeSpan ShutdownTimeout = WorkloadController.ShutdownGrace + TimeSpan.FromSeconds(10);

    private readonly IHost _host;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Task? _stopping;

    private OperatorHost(IHost host)
    {
        _host = host;
        _logger = host.Services.GetRequiredService<ILogger<OperatorHost>>();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => _stopRequested.TrySetResult());
    }

    public SpotalisConfig Config => Services.GetRequiredService<SpotalisConfig>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The watch cache (also the webhook's view).</summary>
    public ClusterCache Cache => Services.GetRequiredService<ClusterCache>();

    public WorkloadReconciler Reconciler => Services.GetRequiredService<WorkloadReconciler>();

    public OperatorMetrics Metrics => Services.GetRequiredService<OperatorMetrics>();

    public ILeadership Leadership => Services.GetRequiredService<ILeadership>();

    public bool IsLeader => Leadership.IsLeader;

    public Uri MetricsUri => Services.GetRequiredService<ObservabilityEndpoints>().MetricsUri;

    public Uri HealthUri => Services.GetRequiredService<ObservabilityEndpoints>().HealthUri;

    /// <summary>
    /// Completes when the operator is asked to stop: by <see cref="StopAsync"/>, or by a part that failed (a hosted
    /// service that ended with an error stops the host). <see cref="StopAsync"/> then completes the stop in order.
    /// </summary>
    public Task Completion => _stopRequested.Task;

    public static Task<OperatorHost> StartAsync(SpotalisConfig config, string? kubeconfigPath, CancellationToken cancellationToken = default) =>
        StartAsync(config, kubeconfigPath, new OperatorHostOptions(), cancellationToken);

    public static async Task<OperatorHost> StartAsync(SpotalisConfig config, string? kubeconfigPath, OperatorHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var problems = SettingsValidator.Validate(config);
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

        // One host owns every part: the hosted services and one Kestrel server with a listener per port.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(OperatorHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        if (options.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
            builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        }
        else
        {
            builder.Services.AddLogging(logging => OperatorLogging.Configure(logging, config));
        }

        // The embedding program (spotalis run, the demo, a test) owns SIGTERM and calls StopAsync.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton<IKubernetes>(client);
        builder.Services.AddSpotalisOperator(config, options, detection);

        var host = builder.Build();
        EndpointPipeline.Use(host, host.Services.GetServices<EndpointListener>());
        var logger = host.Services.GetRequiredService<ILogger<OperatorHost>>();
        var identity = host.Services.GetRequiredService<ILeadership>().Identity;
        Log.Starting(logger, identity, string.IsNullOrEmpty(config.Namespace) ? "all" : config.Namespace, config.ReadOnly, config.LeaderElection.Enabled);
        foreach (var notice in config.Notices)
        {
            Log.ConfigurationNotice(logger, notice);
        }

        LogDiscovery(logger, configuredPreset, config.NodeClassifier.Preset, detection, discoveryError);
        var running = new OperatorHost(host);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }

        return running;
    }

    /// <summary>Reads node labels and Karpenter NodePools when the preset is <c>auto</c> or <c>karpenter</c>.</summary>
    private static async Task<(PresetDetection? Detection, string? Error)> DiscoverAsync(IKubernetes client, SpotalisConfig config, CancellationToken cancellationToken)
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
            Log.DiscoveryFailed(logger, error, configured, used);
        }
        else if (configured == NodePresets.AutoName && detection?.Preset is null)
        {
            Log.AutoPresetNotFound(logger, detection?.Finding ?? "nothing read");
        }
        else if (detection is not null)
        {
            Log.PresetDiscovered(logger, configured, detection.Finding);
        }

        if (detection?.ProvisionerAllowsSpot == false)
        {
            Log.NoNodePoolAllowsSpot(logger);
        }
    }

    /// <summary>
    /// Graceful shutdown in two phases. Stopping: the controller stops taking work and lets in-flight reconciles
    /// (and their eviction call) finish, then the Lease is released, while the webhook, metrics and health keep
    /// answering. Stop: the Kestrel server closes its listeners, then the other hosted services stop in the
    /// reverse order of start (the cache last).
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _stopping ??= StopOnceAsync();
        }

        return _stopping.WaitAsync(cancellationToken);
    }

    private async Task StopOnceAsync()
    {
        _stopRequested.TrySetResult();
        await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        Log.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (_host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
