using k8s.Models;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Tests.Cache;

public class ProjectionsTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Pods_of_one_owner_share_their_owner_list_labels_and_strings_instead_of_a_copy_each()
    {
        V1Pod Pod(string name, string capacity) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = new string("shop".ToCharArray()),
                Uid = name + "-uid",
                CreationTimestamp = Created,
                Labels = new Dictionary<string, string> { ["app"] = "api", ["spotalis.io/capacity-type"] = new string(capacity.ToCharArray()) },
                OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = new string("api-7d9".ToCharArray()), Uid = new string("rs-uid".ToCharArray()), Controller = true }],
            },
            Spec = new V1PodSpec { NodeName = new string("spot-1".ToCharArray()) },
            Status = new V1PodStatus { Phase = "Running" },
        };

        var first = Projections.Pod(Pod("api-1", "spot"));
        var second = Projections.Pod(Pod("api-2", "spot"));
        var other = Projections.Pod(Pod("api-3", "on-demand"));

        Assert.Same(first.Owners, second.Owners);
        Assert.Same(first.Labels, second.Labels);
        Assert.NotSame(first.Labels, other.Labels);
        Assert.Equal("on-demand", other.Labels["spotalis.io/capacity-type"]);
        Assert.Same(first.Namespace, second.Namespace);
        Assert.Same(first.NodeName, second.NodeName);
        Assert.Equal("rs-uid", first.Owners[0].Uid);
    }

    [Fact]
    public void A_statefulset_pod_keeps_ordinal_capacity_label_fallback_and_unschedulable_time_but_not_foreign_labels()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "pg-3",
                NamespaceProperty = "db",
                Uid = "u1",
                CreationTimestamp = Created,
                Labels = new Dictionary<string, string>
                {
                    ["app"] = "pg",
                    ["controller-revision-hash"] = "pg-abc",
                    ["spotalis.io/capacity-type"] = "spot",
                },
                Annotations = new Dictionary<string, string>
                {
                    ["spotalis.io/fallback"] = "true",
                    ["karpenter.sh/do-not-disrupt"] = "true",
                    ["controller.kubernetes.io/pod-deletion-cost"] = "-5",
                    ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 10_000),
                },
                OwnerReferences = [new V1OwnerReference { Kind = "StatefulSet", Name = "pg", Uid = "s1", Controller = true }],
            },
            Status = new V1PodStatus
            {
                Phase = "Pending",
                Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", LastTransitionTime = Created.AddMinutes(1) }],
            },
        };

        var snapshot = Projections.Pod(pod);

        Assert.Equal(3, snapshot.Ordinal);
        Assert.Equal("pg-abc", snapshot.Revision);
        Assert.Equal("spot", snapshot.CapacityLabel);
        Assert.True(snapshot.IsFallback);
        Assert.True(snapshot.DoNotDisrupt);
        Assert.Equal(-5, snapshot.DeletionCost);
        Assert.Equal(new DateTimeOffset(Created.AddMinutes(1)), snapshot.UnschedulableSince);
        Assert.False(snapshot.Ready);
        Assert.Null(snapshot.NodeName);
        Assert.Equal(["spotalis.io/capacity-type"], snapshot.Labels.Keys);
    }

    [Fact]
    public void A_terminating_ready_pod_of_a_replicaset_has_no_ordinal()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "api-abc-xyz",
                NamespaceProperty = "shop",
                CreationTimestamp = Created,
                DeletionTimestamp = Created.AddMinutes(5),
                Labels = new Dictionary<string, string> { ["pod-template-hash"] = "abc" },
                OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = "api-abc", Uid = "r1", Controller = true }],
            },
            Spec = new V1PodSpec { NodeName = "node-1" },
            Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        };

        var snapshot = Projections.Pod(pod);

        Assert.Null(snapshot.Ordinal);
        Assert.True(snapshot.Terminating);
        Assert.True(snapshot.Ready);
        Assert.Equal("node-1", snapshot.NodeName);
        Assert.Equal("abc", snapshot.Revision);
        Assert.Null(snapshot.UnschedulableSince);
    }

    [Fact]
    public void Node_changes_that_matter_are_detected_and_heartbeats_are_not()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "spot" } },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = Created }] },
        };
        var before = Projections.Node(node);
        node.Status.Conditions[0].LastHeartbeatTime = Created.AddSeconds(10);
        var heartbeat = Projections.Node(node);
        node.Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "karpenter.sh/disrupted", Effect = "NoSchedule" }] };
        var tainted = Projections.Node(node);

        Assert.True(Projections.SameNode(before, heartbeat));
        Assert.False(Projections.SameNode(before, tainted));
    }
}
