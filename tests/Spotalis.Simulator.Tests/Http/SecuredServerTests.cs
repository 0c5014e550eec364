using System.Net;
using k8s;
using k8s.Autorest;
using Spotalis.Simulator.Http;

namespace Spotalis.Simulator.Tests.Http;

public sealed class SecuredServerFixture() : SimulatorFixture(new SimulatorServerOptions { UseTls = true, BearerToken = "s3cret" });

public sealed class SecuredServerTests(SecuredServerFixture sim) : IClassFixture<SecuredServerFixture>
{
    [Fact]
    public async Task Clients_from_the_kubeconfig_trust_the_certificate_and_send_the_token()
    {
        Assert.Equal("https", sim.Server.BaseAddress.Scheme);

        var namespaces = await sim.Client.CoreV1.ListNamespaceAsync();
        var kubectl = await Kubectl.OkAsync(sim.KubeconfigPath, "get", "namespaces");

        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
        Assert.Contains("kube-system", kubectl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_plain_http_kubectl_sends_no_token_so_a_token_protected_server_needs_tls_for_kubectl()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorServerOptions { BearerToken = "s3cret" });
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"spotalis-sim-{Guid.NewGuid():N}.kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        try
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            Assert.NotEmpty((await client.CoreV1.ListNamespaceAsync()).Items);

            var (code, _, error) = await Kubectl.RunAsync(kubeconfig, "get", "namespaces");

            Assert.NotEqual(0, code);
            Assert.Contains("You must be logged in to the server", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task A_wrong_token_is_401_Unauthorized()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.KubeconfigPath);
        config.AccessToken = "wrong";
        using var client = new Kubernetes(config);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
    }
}
