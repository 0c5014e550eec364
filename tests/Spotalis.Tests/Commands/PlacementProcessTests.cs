using Spotalis.Testing;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

/// <summary>
/// Issue 13 "Done when" with real processes: <c>spotalis sim serve</c>, the shipped kustomize base applied with
/// kubectl, <c>spotalis run</c> with its webhook reached through the Service, driven with kubectl and <c>spotalis sim</c>.
/// </summary>
public sealed class PlacementProcessTests
{
    [Fact]
    public async Task A_broken_webhook_Service_is_reported_within_a_minute_and_nothing_is_evicted()
    {
        await using var cluster = await PlacementProcessCluster.StartAsync(new Dictionary<string, string> { ["SPOTALIS_WEBHOOK_PATH_CHECK_INTERVAL"] = "20s" });
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, PlacementProcessCluster.Web, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web at 3 spot / 3 on-demand");

        // The Service no longer selects the operator: the API server cannot reach the webhook (failurePolicy Ignore).
        await Eventually.TrueAsync(() => cluster.Operator.Lines.Any(l => l.Contains("in the admission path again", StringComparison.Ordinal)) ||
                                         !cluster.Operator.Lines.Any(l => l.Contains("not in the admission path", StringComparison.Ordinal)),
            "the start-up check to pass");
        var reportsBefore = cluster.Operator.Lines.Count(l => l.Contains("The webhook is not in the admission path", StringComparison.Ordinal));
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "-n", "spotalis-system", "patch", "service", "spotalis-webhook", "--type", "merge",
            "-p", """{"spec":{"selector":{"app.kubernetes.io/name":"nobody"},"ports":[{"name":"https","port":443,"targetPort":1}]}}""");
        var broken = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(() => cluster.Operator.Lines.Count(l => l.Contains("The webhook is not in the admission path", StringComparison.Ordinal)) > reportsBefore,
            "the operator to report the webhook out of the path", 60);
        Assert.True(DateTimeOffset.UtcNow - broken < TimeSpan.FromSeconds(60));

        // A new split would need moves; none is made while replacements could not be placed.
        var evictedBefore = cluster.Operator.Lines.Count(l => l.Contains("Evicted ", StringComparison.Ordinal));
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "annotate", "deployment", "web", "--overwrite", "spotalis.io/spot-percentage=100");
        var warned = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "get", "events.events.k8s.io", "-o", "json")).Contains("PlacementNotSteered", StringComparison.Ordinal))
        {
            Assert.True(DateTimeOffset.UtcNow < warned, "no PlacementNotSteered Warning within 60 s; the operator said:\n" + string.Join('\n', cluster.Operator.Lines.TakeLast(40)));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await Task.Delay(TimeSpan.FromSeconds(15));
        Assert.Equal(evictedBefore, cluster.Operator.Lines.Count(l => l.Contains("Evicted ", StringComparison.Ordinal)));
        // A separate `spotalis status` judges the workload as the operator does: its moves are not steered.
        var status = await cluster.CliAsync("status", "-n", "default");
        Assert.Contains("webhook: NOT in the admission path", status, StringComparison.Ordinal);
        Assert.Contains("Placement not steered", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_PodDisruptionBudget_that_allows_no_eviction_shows_as_BlockedByPdb_in_status_and_deleting_it_lets_the_workload_rebalance()
    {
        await using var cluster = await PlacementProcessCluster.StartAsync(new Dictionary<string, string>());
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, PlacementProcessCluster.Web, "apply", "-f", "-");
        await Eventually.TrueAsync(async () => await cluster.SplitAsync() == (3, 3, 0), "web at 3 spot / 3 on-demand");
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              maxUnavailable: 0
              selector: {matchLabels: {app: web}}
            """, "apply", "-f", "-");
        await Eventually.TrueAsync(
            async () => await Kubectl.RunAsync(cluster.Kubeconfig, "get", "pdb", "web", "-o", "jsonpath={.status.observedGeneration}/{.status.disruptionsAllowed}") == "1/0",
            "the budget's status to allow no disruption");

        // The new split needs two on-demand pods moved to spot; the budget refuses every eviction.
        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "annotate", "deployment", "web", "--overwrite", "spotalis.io/spot-percentage=100");
        await cluster.WaitAsync(async () => (await cluster.CliAsync("status", "-n", "default", "-o", "json")).Contains("\"BlockedByPdb\"", StringComparison.Ordinal),
            "spotalis status to show BlockedByPdb", 60);
        var json = await cluster.CliAsync("status", "-n", "default", "-o", "json");
        Assert.Contains("PodDisruptionBudget web allows no disruption now", json, StringComparison.Ordinal);
        Assert.Contains("Blocked by PDB", await cluster.CliAsync("status", "-n", "default"), StringComparison.Ordinal);
        Assert.Equal((3, 3, 0), await cluster.SplitAsync());

        await Kubectl.RunWithInputAsync(cluster.Kubeconfig, null, "delete", "pdb", "web");
        await cluster.WaitAsync(async () => await cluster.SplitAsync() == (5, 1, 0), "web to rebalance to 5 spot / 1 on-demand once the budget is gone", 180);
        await cluster.WaitAsync(async () => (await cluster.CliAsync("status", "-n", "default", "-o", "json")).Contains("\"Balanced\"", StringComparison.Ordinal),
            "spotalis status to show Balanced", 60);
    }
}
