using k8s;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Http;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>A simulator listening on a free loopback port, with a kubeconfig on disk and a KubernetesClient for it.</summary>
public class SimulatorFixture : IAsyncLifetime
{
    private readonly SimulatorServerOptions _options;

    public SimulatorFixture()
        : this(new SimulatorServerOptions())
    {
    }

    protected SimulatorFixture(SimulatorServerOptions options) => _options = options;

    public SimulatorServer Server { get; private set; } = null!;

    public ClusterApi Api => Server.Api;

    public string KubeconfigPath { get; } = Path.Combine(Path.GetTempPath(), $"spotalis-sim-{Guid.NewGuid():N}.kubeconfig");

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SimulatorServer.StartAsync(_options);
        Server.WriteKubeconfig(KubeconfigPath);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        File.Delete(KubeconfigPath);
    }

    /// <summary>A fresh namespace, so that tests sharing the server do not see each other's objects.</summary>
    public string NewNamespace(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        Api.EnsureNamespace(name);
        return name;
    }
}
