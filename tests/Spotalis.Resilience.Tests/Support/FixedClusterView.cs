using Spotalis.Core.Capacity;
using Spotalis.Operator.Cache;

namespace Spotalis.Resilience.Tests.Support;

/// <summary>
/// A fixed cache: in namespace <c>shop</c>, Deployment <c>api</c> (opted in, 100 % spot, ReplicaSet <c>api-abc123</c>)
/// and Deployment <c>plain</c> (not opted in, ReplicaSet <c>plain-abc123</c>).
/// </summary>
internal sealed class FixedClusterView : IClusterView
{
    public static readonly WorkloadRef Managed = new("Deployment", "shop", "api");
    public static readonly WorkloadRef Unmanaged = new("Deployment", "shop", "plain");

    private readonly Dictionary<WorkloadRef, WorkloadSnapshot> _workloads = new()
    {
        [Managed] = new WorkloadSnapshot(
            Managed, "uid-api", new Dictionary<string, string> { [SpotalisKeys.Enabled] = "true" },
            new Dictionary<string, string> { [SpotalisKeys.SpotPercentage] = "100" }, 10, 1, 1, "abc123", false),
        [Unmanaged] = new WorkloadSnapshot(
            Unmanaged, "uid-plain", new Dictionary<string, string>(),
            new Dictionary<string, string> { [SpotalisKeys.SpotPercentage] = "100" }, 10, 1, 1, "abc123", false),
    };

    public bool IsSynced => true;

    public WorkloadSnapshot? GetWorkload(WorkloadRef workload) => _workloads.GetValueOrDefault(workload);

    public IReadOnlyList<WorkloadSnapshot> GetWorkloads() => [.. _workloads.Values];

    public WorkloadRef? ResolveOwner(string namespaceName, IReadOnlyList<OwnerRef> podOwners)
    {
        foreach (var owner in podOwners.Where(o => o.Controller && o.Kind == "ReplicaSet" && namespaceName == "shop"))
        {
            if (owner.Name == "api-abc123")
            {
                return Managed;
            }

            if (owner.Name == "plain-abc123")
            {
                return Unmanaged;
            }
        }

        return null;
    }

    public IReadOnlyList<PodSnapshot> GetPods(WorkloadRef workload) => [];

    public NodeSnapshot? GetNode(string name) => null;

    public IReadOnlyList<NodeSnapshot> GetNodes() => [];

    public IReadOnlyDictionary<string, string>? GetNamespaceLabels(string namespaceName) =>
        namespaceName == "shop" ? new Dictionary<string, string>() : null;
}
