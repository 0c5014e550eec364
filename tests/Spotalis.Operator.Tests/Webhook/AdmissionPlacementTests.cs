using System.Text;
using Spotalis.Core.Capacity;
using Spotalis.Core.Split;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Webhook.Admission;

namespace Spotalis.Operator.Tests.Webhook;

public sealed class AdmissionPlacementTests
{
    private static PodSnapshot CachePod(string name, string? capacityLabel, DateTimeOffset createdAt, string? node = null, DateTimeOffset? unschedulableSince = null, string revision = "abc123") =>
        new("shop", name, $"uid-{name}", [new OwnerRef("ReplicaSet", "api-abc123", "rs-uid", true)], node, node is null ? "Pending" : "Running",
            node is not null, false, createdAt, revision, capacityLabel, false, null, unschedulableSince, null, new Dictionary<string, string>());

    [Fact]
    public void Burst_of_fifty_admissions_lands_on_the_split_before_the_cache_sees_any()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 50, WebhookTestContext.OptedIn, WebhookTestContext.Split(70));

        var types = Enumerable.Range(0, 50).Select(_ => context.Admit(TestPods.DeploymentPod()).CapacityType).ToList();

        Assert.Equal(35, types.Count(t => t == "spot"));
        Assert.Equal(15, types.Count(t => t == "on-demand"));
        Assert.Equal(35, context.DecisionCount("spot"));
        Assert.Equal(15, context.DecisionCount("on-demand"));
    }

    [Fact]
    public void Burst_lands_on_the_split_while_the_cache_catches_up_part_way()
    {
        var context = new WebhookTestContext();
        var workload = context.View.AddDeployment("shop", "api", 50, WebhookTestContext.OptedIn, WebhookTestContext.Split(70));
        var types = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var answer = context.Admit(TestPods.DeploymentPod());
            var type = answer.CapacityType!;
            types.Add(type);

            // The watch delivers every other pod right away, the rest never within the burst.
            if (i % 2 == 0)
            {
                context.View.AddPod(workload.Ref, CachePod($"api-abc123-{i}", type, context.Time.GetUtcNow()) with { AdmissionId = answer.AdmissionId });
            }

            context.Time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(35, types.Count(t => t == "spot"));
        Assert.Equal(15, types.Count(t => t == "on-demand"));
    }

    [Fact]
    public void A_replacement_after_kubectl_delete_pod_goes_to_the_capacity_type_that_lost_a_pod()
    {
        // 6 replicas at 100 % / floor 2: 4 spot, 2 on-demand. Deleting an on-demand pod five times, each replacement
        // (and a replacement deleted again before anything else happened) must go back to on-demand.
        var context = new WebhookTestContext();
        var workload = context.View.AddDeployment("shop", "api", 6, WebhookTestContext.OptedIn, WebhookTestContext.Split(100, 2));
        var live = new Dictionary<string, string>();
        for (var i = 0; i < 6; i++)
        {
            Watch(context, workload, live, $"api-abc123-{i}", context.Admit(TestPods.DeploymentPod()));
        }

        Assert.Equal(4, live.Values.Count(t => t == "spot"));
        for (var round = 0; round < 5; round++)
        {
            var victim = live.First(pair => pair.Value == "on-demand").Key;
            live.Remove(victim);
            context.View.RemovePod(workload.Ref, victim);
            context.Time.Advance(TimeSpan.FromSeconds(2));

            var replacement = context.Admit(TestPods.DeploymentPod());
            Assert.Equal("on-demand", replacement.CapacityType);
            Watch(context, workload, live, $"api-abc123-r{round}", replacement);
        }

        Assert.Equal((4, 2), (live.Values.Count(t => t == "spot"), live.Values.Count(t => t == "on-demand")));
    }

    [Fact]
    public async Task A_replacement_admitted_before_the_watch_reports_the_deletion_reads_the_live_pods_instead()
    {
        // The ReplicaSet controller creates the replacement the moment the pod is deleted; the webhook's watch may
        // still show the deleted pod. The cache holding all replicas means the watch is behind: one consistent read of
        // the revision's pods says which one left.
        var live = new Dictionary<string, string>();
        var reads = new List<string>();
        var context = new WebhookTestContext(livePods: (ns, selector, _) =>
        {
            reads.Add($"{ns} {selector}");
            return Task.FromResult<IReadOnlySet<string>>(live.Keys.ToHashSet());
        });
        var workload = context.View.AddDeployment("shop", "api", 6, WebhookTestContext.OptedIn, WebhookTestContext.Split(100, 2));
        for (var i = 0; i < 6; i++)
        {
            Watch(context, workload, live, $"api-abc123-{i}", context.Admit(TestPods.DeploymentPod()));
        }

        Assert.Empty(reads);
        var victim = live.First(pair => pair.Value == "on-demand").Key;
        live.Remove(victim);

        var replacement = await context.Handler.HandleAsync(System.Text.Encoding.UTF8.GetBytes(TestPods.Review(TestPods.DeploymentPod())));

        Assert.Equal("on-demand", new AdmissionAnswer(replacement, TestPods.DeploymentPod()).CapacityType);
        Assert.Equal(["shop pod-template-hash=abc123"], reads);
    }

    [Fact]
    public void The_patch_names_the_admission_so_the_watch_can_end_its_count()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 3, WebhookTestContext.OptedIn, WebhookTestContext.Split(50));

        var answer = context.Admit(TestPods.DeploymentPod(), uid: "review-7");

        Assert.Equal("review-7", answer.AdmissionId);
    }

    private static void Watch(WebhookTestContext context, WorkloadSnapshot workload, Dictionary<string, string> live, string name, AdmissionAnswer answer)
    {
        live[name] = answer.CapacityType!;
        context.View.AddPod(workload.Ref, CachePod(name, answer.CapacityType, context.Time.GetUtcNow()) with { AdmissionId = answer.AdmissionId });
    }

    [Fact]
    public void Concurrent_admissions_of_one_burst_still_land_on_the_split()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 50, WebhookTestContext.OptedIn, WebhookTestContext.Split(70));
        var pod = TestPods.DeploymentPod();
        var reviews = Enumerable.Range(0, 50).Select(_ => TestPods.Review(pod)).ToList();

        var results = reviews.AsParallel().WithDegreeOfParallelism(8).Select(r => new AdmissionAnswer(context.Handler.Handle(r), pod).CapacityType).ToList();

        Assert.Equal(35, results.Count(t => t == "spot"));
        Assert.Equal(15, results.Count(t => t == "on-demand"));
    }

    [Fact]
    public void Scale_up_counts_the_pods_already_running_on_nodes()
    {
        var context = new WebhookTestContext();
        var workload = context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(50));
        context.View.AddNode("spot-1", new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "spot" });
        var old = context.Time.GetUtcNow() - TimeSpan.FromHours(1);

        // Eight pods already on spot nodes (their labels are missing: admitted while the webhook was down).
        for (var i = 0; i < 8; i++)
        {
            context.View.AddPod(workload.Ref, CachePod($"api-{i}", null, old, node: "spot-1"));
        }

        var types = Enumerable.Range(0, 2).Select(_ => context.Admit(TestPods.DeploymentPod()).CapacityType).ToList();

        Assert.Equal(["on-demand", "on-demand"], types);
    }

    [Fact]
    public void Pods_of_an_older_revision_do_not_count_toward_a_rollout()
    {
        var context = new WebhookTestContext();
        var workload = context.View.AddDeployment("shop", "api", 4, WebhookTestContext.OptedIn, WebhookTestContext.Split(50));
        var old = context.Time.GetUtcNow() - TimeSpan.FromHours(1);
        context.View.AddPod(workload.Ref, CachePod("api-old-1", "spot", old, revision: "old"));
        context.View.AddPod(workload.Ref, CachePod("api-old-2", "spot", old, revision: "old"));

        var types = Enumerable.Range(0, 4).Select(_ => context.Admit(TestPods.DeploymentPod()).CapacityType).ToList();

        Assert.Equal(2, types.Count(t => t == "spot"));
        Assert.Equal(2, types.Count(t => t == "on-demand"));
    }

    [Theory]
    [InlineData(10, 70, 0, 7)]
    [InlineData(10, 70, 0, 3)]
    [InlineData(12, 50, 4, 5)]
    public void Deletion_costs_make_a_scale_down_keep_the_split(int replicas, int percentage, int minOnDemand, int scaleTo)
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", replicas, WebhookTestContext.OptedIn, WebhookTestContext.Split(percentage, minOnDemand));
        var pods = Enumerable.Range(0, replicas).Select(_ => context.Admit(TestPods.DeploymentPod())).Select(a => (
            Type: a.CapacityType!,
            Cost: int.Parse(a.Patched!["metadata"]!["annotations"]![SpotalisKeys.PodDeletionCost]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))).ToList();

        // A ReplicaSet scale-down removes the lowest deletion cost first.
        var kept = pods.OrderByDescending(p => p.Cost).Take(scaleTo).ToList();

        var desired = SplitCalculator.Compute(scaleTo, percentage, minOnDemand);
        Assert.Equal(desired.Spot, kept.Count(p => p.Type == "spot"));
        Assert.Equal(desired.OnDemand, kept.Count(p => p.Type == "on-demand"));
    }

    [Fact]
    public void Statefulset_pods_are_placed_by_ordinal_in_prefix_order()
    {
        // 60 % / floor 1: every prefix 0..k-1 holds the desired split for k replicas, so any scale-down keeps the split.
        var context = new WebhookTestContext();
        context.View.AddStatefulSet("shop", "web", 5, WebhookTestContext.OptedIn, WebhookTestContext.Split(60, 1));

        var types = Enumerable.Range(0, 5).Select(i => context.Admit(TestPods.StatefulSetPod("web", i)).CapacityType).ToList();

        Assert.Equal(["on-demand", "spot", "on-demand", "spot", "spot"], types);

        // Recreating an ordinal (after an eviction) puts it back where it was.
        Assert.Equal("on-demand", context.Admit(TestPods.StatefulSetPod("web", 2)).CapacityType);
        Assert.Equal("spot", context.Admit(TestPods.StatefulSetPod("web", 1)).CapacityType);
    }

    [Fact]
    public void Invalid_policy_places_on_demand_and_names_the_problem()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, new Dictionary<string, string> { [SpotalisKeys.SpotPercentage] = "seventy" });

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.Equal("on-demand", answer.CapacityType);
        Assert.Contains(SpotalisKeys.SpotPercentage, answer.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Spot_unavailable_places_on_demand_marked_as_fallback()
    {
        var context = new WebhookTestContext();
        var workload = context.View.AddDeployment("shop", "api", 2, WebhookTestContext.OptedIn, WebhookTestContext.Split(100));
        var now = context.Time.GetUtcNow();
        context.View.AddPod(workload.Ref, CachePod("api-stuck", "spot", now - TimeSpan.FromMinutes(20), unschedulableSince: now - TimeSpan.FromMinutes(10)));

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.Equal("on-demand", answer.CapacityType);
        Assert.Equal("true", answer.Patched!["metadata"]!["annotations"]![SpotalisKeys.Fallback]!.GetValue<string>());
    }

    [Fact]
    public void Namespace_opt_in_applies_and_workload_label_false_opts_out()
    {
        var context = new WebhookTestContext();
        context.View.SetNamespaceLabels("shop", WebhookTestContext.OptedIn);
        context.View.AddDeployment("shop", "api", 10, annotations: WebhookTestContext.Split(100));
        context.View.AddDeployment("shop", "batch", 10, new Dictionary<string, string> { [SpotalisKeys.Enabled] = "false" }, WebhookTestContext.Split(100));

        var inNamespace = context.Admit(TestPods.DeploymentPod());
        var optedOut = context.Admit(TestPods.DeploymentPod("batch-abc123"));

        Assert.Equal("spot", inNamespace.CapacityType);
        Assert.Null(optedOut.Patch);
        Assert.Contains("not opted in", optedOut.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_opt_in_label_leaves_the_pod_unpatched_and_names_the_problem()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 10, new Dictionary<string, string> { [SpotalisKeys.Enabled] = "True" }, WebhookTestContext.Split(100));

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.True(answer.Allowed);
        Assert.Null(answer.Patch);
        Assert.Contains("not opted in", answer.Result.Reason, StringComparison.Ordinal);
        Assert.Contains(SpotalisKeys.Enabled, answer.Result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, context.RequestCount("skipped"));
    }

    [Fact]
    public void Dry_run_requests_are_answered_but_not_counted_as_admitted()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 2, WebhookTestContext.OptedIn, WebhookTestContext.Split(50));

        var dry = Enumerable.Range(0, 3).Select(_ => context.Admit(TestPods.DeploymentPod(), dryRun: true).CapacityType).ToList();

        Assert.All(dry, t => Assert.Equal(dry[0], t));
        var real = Enumerable.Range(0, 2).Select(_ => context.Admit(TestPods.DeploymentPod()).CapacityType).ToList();
        Assert.Equal(["on-demand", "spot"], real.Order().ToList());
    }

    [Fact]
    public void Pod_already_carrying_a_capacity_label_is_not_placed_again_on_reinvocation()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(100));
        var first = context.Admit(TestPods.DeploymentPod());

        var again = context.Admit(first.Patched!);

        Assert.Null(again.Patch);
        Assert.Equal(AdmissionResultKind.Skipped, again.Result.Kind);
    }

    [Fact]
    public async Task Owner_arriving_in_the_cache_during_the_wait_gets_the_pod_placed()
    {
        var context = new WebhookTestContext(ownerWait: TimeSpan.FromSeconds(30));
        var pod = TestPods.DeploymentPod();
        var pending = context.Handler.HandleAsync(Encoding.UTF8.GetBytes(TestPods.Review(pod))).AsTask();
        await Task.Delay(100);
        context.View.AddDeployment("shop", "api", 1, WebhookTestContext.OptedIn, WebhookTestContext.Split(100));

        var result = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("spot", new AdmissionAnswer(result, pod).CapacityType);
    }
}
