using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Spotalis.InProcess;

namespace Spotalis.Cluster;

/// <summary>
/// Lists what the operator's cache would hold (namespaces, nodes, Deployments, ReplicaSets, StatefulSets, pods,
/// PodDisruptionBudgets) once, into an <see cref="ObjectClusterView"/>. Lists a user may not read (namespaces, nodes, budgets) are skipped
/// with a note instead of failing the command.
/// </summary>
public static class ClusterSnapshotLoader
{
    public static async Task<(ObjectClusterView View, IReadOnlyList<string> Notes)> LoadAsync(IKubernetes client, string? namespaceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var view = new ObjectClusterView();
        var notes = new List<string>();
        var all = string.IsNullOrEmpty(namespaceName);

        await AddAsync(view, notes, "namespaces", async () => (await client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken)).Items);
        await AddAsync(view, notes, "nodes", async () => (await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items);
        await AddAsync(view, null, "deployments", async () => all
            ? (await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken)).Items
            : (await client.AppsV1.ListNamespacedDeploymentAsync(namespaceName, cancellationToken: cancellationToken)).Items);
        await AddAsync(view, null, "replicasets", async () => all
            ? (await client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: cancellationToken)).Items
            : (await client.AppsV1.ListNamespacedReplicaSetAsync(namespaceName, cancellationToken: cancellationToken)).Items);
        await AddAsync(view, null, "statefulsets", async () => all
            ? (await client.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: cancellationToken)).Items
            : (await client.AppsV1.ListNamespacedStatefulSetAsync(namespaceName, cancellationToken: cancellationToken)).Items);
        await AddAsync(view, null, "pods", async () => all
            ? (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken)).Items
            : (await client.CoreV1.ListNamespacedPodAsync(namespaceName, cancellationToken: cancellationToken)).Items);
        await AddAsync(view, notes, "poddisruptionbudgets", async () => all
            ? (await client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: cancellationToken)).Items
            : (await client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(namespaceName, cancellationToken: cancellationToken)).Items);
        return (view, notes);
    }

    private static async Task AddAsync<T>(ObjectClusterView view, List<string>? notes, string what, Func<Task<IList<T>>> list)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        IList<T> items;
        try
        {
            items = await list();
        }
        catch (HttpOperationException e) when (notes is not null && e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            notes.Add(what == "poddisruptionbudgets"
                ? $"cannot list {what} ({(int)e.Response.StatusCode}); a workload a PodDisruptionBudget blocks shows as Rebalancing"
                : $"cannot list {what} ({(int)e.Response.StatusCode}); capacity types and namespace opt-ins may show as unknown");
            return;
        }

        foreach (var item in items)
        {
            view.Upsert(item);
        }
    }
}
