using System.Text.Json.Nodes;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// The documented install path with real processes: <c>spotalis sim serve</c>, <c>kubectl apply -k</c> of the shipped
/// kustomize base, <c>spotalis run</c>, then an opted-in Deployment whose pods must carry the webhook's placement —
/// the simulator reaching the webhook through the Service's named <c>targetPort: webhook</c>.
/// </summary>
public sealed class SimInstallPathTests
{
    private const string OptedIn = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels: {spotalis.io/enabled: "true", app: api}
          annotations: {spotalis.io/spot-percentage: "50"}
        spec:
          replicas: 4
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api, spotalis.io/enabled: "true"}}
            spec: {containers: [{name: app, image: nginx}]}
        """;

    [Fact]
    public async Task The_shipped_kustomize_base_applied_to_sim_serve_gets_pods_placed_by_the_webhook_of_spotalis_run()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        await using var serve = await CliProcess.StartSimServeAsync(kubeconfig);
        await Kubectl.OkAsync(kubeconfig, null, "apply", "-k", Path.Combine(RepositoryPaths.Root, "deploy", "kustomize", "base"));

        // Tests run side by side on one machine, so the operator cannot count on 9443 being free: its Deployment's
        // container port (which the Service's targetPort names) is moved to a free one, as a user would edit it.
        var port = CliProcess.FreePort();
        await Kubectl.OkAsync(kubeconfig, null, "-n", "spotalis-system", "patch", "deployment", "spotalis", "--type", "json",
            "-p", $$"""[{"op":"replace","path":"/spec/template/spec/containers/0/ports/0/containerPort","value":{{port}}}]""");
        await using var run = CliProcess.StartOperator(kubeconfig, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        await Eventually.TrueAsync(
            async () => (await Kubectl.OkAsync(kubeconfig, null, "get", "mutatingwebhookconfiguration", "spotalis", "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}")).Length > 0,
            "spotalis run to write the caBundle");

        // The base gives the webhook 2 s: wait until a (dry-run) pod is answered in time by the freshly started process.
        await Eventually.TrueAsync(
            async () =>
            {
                var failures = Failures(serve);
                await Kubectl.OkAsync(kubeconfig, null, "run", "warm-up", "--image=nginx", "--labels=spotalis.io/enabled=true", "--dry-run=server");
                return Failures(serve) == failures;
            },
            "the webhook to answer within its timeout");
        var failuresBefore = Failures(serve);

        await Kubectl.OkAsync(kubeconfig, OptedIn, "apply", "-f", "-");

        await Eventually.TrueAsync(async () => Pods(await Kubectl.OkAsync(kubeconfig, null, "get", "pods", "-l", "app=api", "-o", "json")).Count == 4, "4 pods");
        var pods = Pods(await Kubectl.OkAsync(kubeconfig, null, "get", "pods", "-l", "app=api", "-o", "json"));
        Assert.All(pods, pod => Assert.True(
            pod["metadata"]?["labels"]?["spotalis.io/capacity-type"] is not null && pod["spec"]?["affinity"]?["nodeAffinity"] is not null,
            $"pod {pod["metadata"]?["name"]} was admitted without the webhook's placement; sim serve said:\n{string.Join('\n', serve.Lines)}"));
        Assert.Equal(failuresBefore, Failures(serve));
    }

    private static int Failures(CliProcess serve) => serve.Lines.Count(l => l.Contains("Webhook call failed", StringComparison.Ordinal));

    private static List<JsonNode> Pods(string json) => [.. JsonNode.Parse(json)!["items"]!.AsArray().Select(p => p!)];
}
