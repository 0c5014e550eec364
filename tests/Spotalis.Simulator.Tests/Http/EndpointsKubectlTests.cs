using k8s.Models;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>Endpoints and EndpointSlices made by hand with the real kubectl: applied, listed with kubectl's columns, read back.</summary>
public sealed class EndpointsKubectlTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Kubectl_applies_and_lists_hand_made_Endpoints_and_EndpointSlices()
    {
        var ns = sim.NewNamespace();
        var file = Path.Combine(Path.GetTempPath(), $"endpoints-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: v1
            kind: Service
            metadata: {name: hooks}
            spec:
              ports: [{name: https, port: 443, targetPort: 9443}]
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: hooks}
            subsets:
              - addresses: [{ip: 127.0.0.1}]
                ports: [{name: https, port: 9443}]
              - addresses: [{ip: 127.0.0.1}]
                ports: [{name: https, port: 9444}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: hooks-abc
              labels: {kubernetes.io/service-name: hooks}
            addressType: IPv4
            ports: [{name: https, port: 9445, protocol: TCP}]
            endpoints:
              - addresses: [127.0.0.1]
                conditions: {ready: true}
            """);
        try
        {
            var applied = await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "apply", "-f", file);
            var endpoints = await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "get", "endpoints");
            var slices = await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "get", "endpointslices");
            var again = await Kubectl.OkAsync(sim.KubeconfigPath, "-n", ns, "apply", "-f", file);

            Assert.Contains("endpointslice.discovery.k8s.io/hooks-abc created", applied, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1:9443,127.0.0.1:9444", endpoints, StringComparison.Ordinal);
            Assert.Contains("IPv4", slices, StringComparison.Ordinal);
            Assert.Contains("9445", slices, StringComparison.Ordinal);
            Assert.DoesNotContain("created", again, StringComparison.Ordinal);
            var slice = sim.Api.Get<V1EndpointSlice>(ns, "hooks-abc")!;
            Assert.True(slice.Endpoints.Single().Conditions.Ready);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
