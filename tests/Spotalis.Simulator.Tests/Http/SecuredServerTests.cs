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
    public async Task A_wrong_token_is_401_Unauthorized()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.KubeconfigPath);
        config.AccessToken = "wrong";
        using var client = new Kubernetes(config);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
    }
}
