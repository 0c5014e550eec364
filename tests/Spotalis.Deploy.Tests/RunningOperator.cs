using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Hosting;
using Spotalis.Simulator.Http;

namespace Spotalis.Deploy.Tests;

/// <summary>An operator host (the code of <c>spotalis run</c>) against the simulator's HTTP API, managing one
/// opted-in Deployment, with its <c>/metrics</c> scraped over HTTP once it reports that workload.</summary>
public sealed class RunningOperator : IAsyncLifetime
{
    private SimulatorServer? _server;
    private OperatorHost? _host;
    private TemporaryDirectory? _directory;
    private Dictionary<string, string> _exported = [];

    /// <summary>Metric name -> type, as scraped from /metrics.</summary>
    public IReadOnlyDictionary<string, string> Exported => _exported;

    public async Task InitializeAsync()
    {
        // A bearer token, because KubernetesClient refuses a kubeconfig user without credentials.
        _server = await SimulatorServer.StartAsync(new SimulatorServerOptions { Port = 0, BearerToken = "deploy-tests" });
        _directory = new TemporaryDirectory();
        var kubeconfig = Path.Combine(_directory.Path, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        await _server.Api.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "spotalis-system" } });
        await _server.Api.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
        await _server.Api.CreateAsync(OptedInDeployment());

        var config = SpotalisConfig.Default with
        {
            Metrics = new EndpointSettings("127.0.0.1:0"),
            Health = new EndpointSettings("127.0.0.1:0"),
            Controllers = SpotalisConfig.Default.Controllers with { ReconcileInterval = TimeSpan.FromSeconds(1) },
        };
        _host = await OperatorHost.StartAsync(config, kubeconfig, new OperatorHostOptions
        {
            LoggerFactory = NullLoggerFactory.Instance,
            ConfigureWebhook = o => o with { Port = 0, ListenAddress = "127.0.0.1" },
        });

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            _exported = ParseTypes(await http.GetStringAsync(new Uri(_host.MetricsUri, "/metrics")));
            if ((_exported.ContainsKey("spotalis_workload_desired_replicas") && _exported.ContainsKey("spotalis_leader")) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory?.Dispose();
    }

    public bool IsExported(string series) =>
        _exported.ContainsKey(series) ||
        new[] { "_bucket", "_sum", "_count" }.Any(suffix => series.EndsWith(suffix, StringComparison.Ordinal)
            && _exported.TryGetValue(series[..^suffix.Length], out var type) && type == "histogram");

    /// <summary>Metric name -> type from the <c># TYPE</c> lines of the Prometheus text format.</summary>
    private static Dictionary<string, string> ParseTypes(string text) =>
        text.Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Where(p => p.Length >= 4)
            .ToDictionary(p => p[2], p => p[3].Trim(), StringComparer.Ordinal);

    private static V1Deployment OptedInDeployment() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta
        {
            Name = "api",
            NamespaceProperty = "shop",
            Labels = new Dictionary<string, string> { ["spotalis.io/enabled"] = "true" },
            Annotations = new Dictionary<string, string> { ["spotalis.io/spot-percentage"] = "70", ["spotalis.io/min-on-demand"] = "1" },
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = 4,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "api", ["spotalis.io/enabled"] = "true" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "api", Image = "registry.k8s.io/pause:3.10" }] },
            },
        },
    };
}
