using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// Spotalis writes its Events through events.k8s.io/v1; on the simulator, as on a real apiserver, the same Events
/// must be listed by <c>kubectl get events</c>, <c>kubectl events</c> and <c>kubectl describe</c> (core/v1).
/// </summary>
public sealed class SimEventsTests
{
    // All replicas wanted on spot; the scheduler spreads them over spot and on-demand nodes, so the operator evicts.
    private const string Workloads = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels: {app: api, spotalis.io/enabled: "true"}
          annotations: {spotalis.io/spot-percentage: "100"}
        spec:
          replicas: 6
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: app, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: broken
          labels: {app: broken, spotalis.io/enabled: "true"}
          annotations: {spotalis.io/spot-percentage: "150"}
        spec:
          replicas: 1
          selector: {matchLabels: {app: broken}}
          template:
            metadata: {labels: {app: broken}}
            spec: {containers: [{name: app, image: nginx}]}
        """;

    [Fact]
    public async Task Spotalis_Evicted_and_InvalidPolicy_Events_are_listed_by_kubectl_get_events_kubectl_events_and_describe()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        await using var serve = await CliProcess.StartSimServeAsync(kubeconfig);
        await Kubectl.RunWithInputAsync(kubeconfig, Workloads, "apply", "-f", "-");
        await using var run = CliProcess.StartOperator(kubeconfig, webhookPort: null, new Dictionary<string, string>
        {
            ["SPOTALIS_CONTROLLERS_EVICTIONS_PER_SECOND"] = "20",
            ["SPOTALIS_CONTROLLERS_EVICTION_BURST"] = "20",
        });

        await Eventually.TrueAsync(
            async () => (await Kubectl.RunAsync(kubeconfig, "get", "events")).Contains("Evicted", StringComparison.Ordinal),
            "kubectl get events to list an Evicted Event");
        await Eventually.TrueAsync(
            async () => (await Kubectl.RunAsync(kubeconfig, "get", "events")).Contains("InvalidPolicy", StringComparison.Ordinal),
            "kubectl get events to list the InvalidPolicy Event");

        var table = await Kubectl.RunAsync(kubeconfig, "get", "events", "-o", "wide");
        Assert.Contains("deployment/api", table, StringComparison.Ordinal);
        Assert.Contains("deployment/broken", table, StringComparison.Ordinal);
        Assert.Contains("spotalis", table, StringComparison.Ordinal);

        var events = await Kubectl.RunAsync(kubeconfig, "events");
        Assert.Contains("Evicted", events, StringComparison.Ordinal);
        Assert.Contains("InvalidPolicy", events, StringComparison.Ordinal);
        var forBroken = await Kubectl.RunAsync(kubeconfig, "events", "--for", "deployment/broken");
        Assert.Contains("InvalidPolicy", forBroken, StringComparison.Ordinal);
        Assert.DoesNotContain("Evicted", forBroken, StringComparison.Ordinal);

        var describe = await Kubectl.RunAsync(kubeconfig, "describe", "deployment", "broken");
        Assert.Contains("InvalidPolicy", describe, StringComparison.Ordinal);
        Assert.Contains("150", describe, StringComparison.Ordinal);

        // The same Event through events.k8s.io/v1 keeps the fields the operator wrote.
        var v1 = await Kubectl.RunAsync(kubeconfig, "get", "events.events.k8s.io", "-o", "jsonpath={range .items[?(@.reason==\"InvalidPolicy\")]}{.regarding.name} {.reportingController}{\"\\n\"}{end}");
        Assert.Contains("broken spotalis", v1, StringComparison.Ordinal);
    }
}
