using k8s.Models;
using Spotalis.Operator.Observability;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Issue 4 "Done when" scenarios about the split itself, against the whole simulated cluster.</summary>
public class SplitScenarioTests
{
    private static Dictionary<string, string> Policy(int spotPercentage, int minOnDemand = 0) => new()
    {
        ["spotalis.io/spot-percentage"] = spotPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["spotalis.io/min-on-demand"] = minOnDemand.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Scenario1_keeps_the_split_through_scale_up_and_scale_down()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig());

        await env.CreateDeploymentAsync("shop", "api", 10, Policy(70, 1));
        await env.WaitForSplitAsync("shop", "api", spot: 7, onDemand: 3);

        env.Scale<V1Deployment>("shop", "api", 20);
        await env.WaitForSplitAsync("shop", "api", spot: 14, onDemand: 6);

        env.Annotate<V1Deployment>("shop", "api", "spotalis.io/min-on-demand", "2");
        env.Scale<V1Deployment>("shop", "api", 3);
        await env.WaitForSplitAsync("shop", "api", spot: 1, onDemand: 2);
    }

    [Fact]
    public async Task Scenario3_an_invalid_annotation_means_all_on_demand_a_warning_naming_the_key_and_no_evictions()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var host = await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig());

        await env.CreateDeploymentAsync("shop", "api", 4, new Dictionary<string, string> { ["spotalis.io/spot-percentage"] = "abc" });
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 4);
        await OperatorTestCluster.WaitForAsync(() => env.EventsFor("shop", "api", EventReasons.InvalidPolicy).Count > 0, "an InvalidPolicy event");

        var warning = env.EventsFor("shop", "api", EventReasons.InvalidPolicy)[0];
        Assert.Equal("Warning", warning.Type);
        Assert.Contains("spotalis.io/spot-percentage", warning.Note, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(env.EventsFor("shop", "api", EventReasons.Evicted));
        Assert.Equal(0, host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.Equal((0, 4, true), env.Split("shop", "api"));
    }

    [Fact]
    public async Task Scenario4_converges_by_evictions_without_dropping_below_replicas_minus_one_or_the_floor()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var host = await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig());
        await env.CreateDeploymentAsync("shop", "api", 10, Policy(0, 2));
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 10);

        await using (var sampler = new InvariantSampler(env, "shop", "api"))
        {
            env.Annotate<V1Deployment>("shop", "api", "spotalis.io/spot-percentage", "60");
            await env.WaitForSplitAsync("shop", "api", spot: 6, onDemand: 4);

            Assert.True(sampler.Samples > 20, $"only {sampler.Samples} samples");
            Assert.True(sampler.MinReady >= 9, $"Ready pods dropped to {sampler.MinReady} (replicas - 1 = 9)");
            Assert.True(sampler.MinReadyOnDemand >= 2, $"Ready on-demand pods dropped to {sampler.MinReadyOnDemand}, below the floor of 2");
        }

        Assert.Equal(6, host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.Equal(6, env.EventsFor("shop", "api", EventReasons.Evicted).Count);
    }

    [Fact]
    public async Task Scenario5_a_pdb_with_max_unavailable_zero_blocks_every_eviction_until_it_is_relaxed()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var host = await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig());
        await env.CreateDeploymentAsync("shop", "api", 4, Policy(0));
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 4);
        await env.Api.CreateAsync(new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = "shop" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = (IntOrString)0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } },
            },
        });
        var podsBefore = env.PodsOf("shop", "api").Select(p => p.Pod.Metadata.Uid).ToHashSet();

        env.Annotate<V1Deployment>("shop", "api", "spotalis.io/spot-percentage", "50");
        await OperatorTestCluster.WaitForAsync(() => host.Metrics.Evictions.WithLabels(EvictionResults.BlockedPdb).Value >= 2, "blocked evictions");

        Assert.Equal(podsBefore, env.PodsOf("shop", "api").Select(p => p.Pod.Metadata.Uid).ToHashSet());
        Assert.Equal(0, host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.NotEmpty(env.EventsFor("shop", "api", EventReasons.EvictionBlocked));

        env.Api.Mutate<V1PodDisruptionBudget>("shop", "api", pdb =>
        {
            pdb.Spec.MaxUnavailable = (IntOrString)1;
            return true;
        });
        await env.WaitForSplitAsync("shop", "api", spot: 2, onDemand: 2, timeout: TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Scenario7_a_scale_down_keeps_the_split_without_any_eviction()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var host = await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig());
        await env.CreateDeploymentAsync("shop", "api", 10, Policy(70, 1));
        await env.WaitForSplitAsync("shop", "api", spot: 7, onDemand: 3);
        await OperatorTestCluster.WaitForAsync(
            () => env.PodsOf("shop", "api").All(p => p.Pod.Metadata.Annotations?.ContainsKey("controller.kubernetes.io/pod-deletion-cost") == true),
            "deletion costs on every pod");

        env.Scale<V1Deployment>("shop", "api", 4);
        await env.WaitForSplitAsync("shop", "api", spot: 2, onDemand: 2);

        Assert.Equal(0, host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.Empty(env.EventsFor("shop", "api", EventReasons.Evicted));
    }

    [Fact]
    public async Task Scenario11_read_only_mode_reports_would_evict_and_evicts_nothing()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var host = await env.StartOperatorAsync(OperatorTestEnvironment.FastConfig() with { ReadOnly = true });
        await env.CreateDeploymentAsync("shop", "api", 4, Policy(0));
        await env.WaitForSplitAsync("shop", "api", spot: 0, onDemand: 4);
        var podsBefore = env.PodsOf("shop", "api").Select(p => p.Pod.Metadata.Uid).ToHashSet();

        env.Annotate<V1Deployment>("shop", "api", "spotalis.io/spot-percentage", "50");
        await OperatorTestCluster.WaitForAsync(() => env.EventsFor("shop", "api", EventReasons.WouldEvict).Count > 0, "a WouldEvict event");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var wouldEvict = env.EventsFor("shop", "api", EventReasons.WouldEvict)[0];
        Assert.Contains("from on-demand", wouldEvict.Note, StringComparison.Ordinal);
        Assert.Contains(podsBefore, uid => env.Api.List<V1Pod>("shop").Any(p => p.Metadata.Uid == uid && wouldEvict.Note.Contains(p.Metadata.Name, StringComparison.Ordinal)));
        Assert.Equal(podsBefore, env.PodsOf("shop", "api").Select(p => p.Pod.Metadata.Uid).ToHashSet());
        Assert.Equal(0, host.Metrics.Evictions.WithLabels(EvictionResults.Evicted).Value);
        Assert.True(host.Metrics.Evictions.WithLabels(EvictionResults.DryRun).Value >= 1);
        Assert.Empty(env.EventsFor("shop", "api", EventReasons.Evicted));
    }
}
