using Spotalis.Core.Capacity;
using Spotalis.Scenarios;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Scenarios;

public class ScenarioLoaderTests
{
    [Theory]
    [InlineData("steady-web-service")]
    [InlineData("daily-traffic-curve")]
    [InlineData("spot-drought")]
    public void Every_example_scenario_loads_with_a_hypothesis(string name)
    {
        var scenario = ScenarioLoader.LoadFile(RepositoryPaths.ExampleScenario(name));

        Assert.Equal(name, scenario.Name);
        Assert.NotEmpty(scenario.Workloads);
        Assert.Contains(scenario.NodePools, p => p.CapacityType == CapacityType.OnDemand);
        Assert.Contains(scenario.NodePools, p => p.CapacityType == CapacityType.Spot);
        Assert.NotNull(scenario.Hypothesis);
        Assert.NotEmpty(scenario.Hypothesis!.Criteria);
        Assert.All(scenario.Workloads, w => Assert.Equal("true", w.Labels[SpotalisKeys.Enabled]));
    }

    [Fact]
    public void A_minimal_scenario_gets_documented_defaults()
    {
        var scenario = ScenarioLoader.Parse(
            """
            name: minimal
            duration: 1h
            nodePools:
              - { name: od, capacityType: on-demand, hourlyPrice: 0.1 }
            workloads:
              - { name: web, replicas: 3 }
            """, "minimal.yaml");

        Assert.Equal(TimeSpan.FromHours(1), scenario.Duration);
        Assert.Equal(TimeSpan.FromSeconds(10), scenario.Step);
        Assert.Equal(1, scenario.Seed);
        var pool = Assert.Single(scenario.NodePools);
        Assert.Equal("karpenter", pool.Preset);
        Assert.Equal(0, pool.InitialSize);
        Assert.Equal(10, pool.MaxSize);
        Assert.Equal(TimeSpan.FromSeconds(60), pool.ProvisioningDelay);
        var workload = Assert.Single(scenario.Workloads);
        Assert.Equal("default", workload.Namespace);
        Assert.Equal(WorkloadKind.Deployment, workload.Kind);
        Assert.Equal(3, workload.Replicas.At(TimeSpan.FromMinutes(30)));
        Assert.Null(scenario.Hypothesis);
    }

    [Fact]
    public void Every_problem_is_named_with_its_path_and_line()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(
            """
            name: Bad_Name
            duration: forever
            colour: blue
            nodePools:
              - name: spot
                capacityType: spot
                hourlyPrice: -1
                interruptionRatePerHour: 0.1
                outages:
                  - { start: 3h, duration: 1h }
            workloads:
              - name: web
                kind: CronJob
                replicas: many
              - name: api
                replicas:
                  steps:
                    - { at: 5m, replicas: 2 }
            operator:
              controllers:
                fallbackAfter: soon
                frobnicate: 3
            hypothesis:
              statement: it works
              criteria:
                - { metric: happiness, op: gte, value: 1 }
                - { metric: savingsPercent, op: about, value: 10 }
                - { metric: evictions, op: lt, value: 3, workload: default/ghost }
            """, "bad.yaml"));

        var messages = error.Problems.Select(p => p.ToString()).ToList();
        string[] expectedPaths =
        [
            "name", "duration", "colour", "nodePools[0].hourlyPrice", "nodePools", "workloads[0].kind", "workloads[0].replicas",
            "workloads[1].replicas.steps[0].at", "operator.controllers.fallbackAfter", "operator.controllers.frobnicate",
            "hypothesis.criteria[0].metric", "hypothesis.criteria[1].op", "hypothesis.criteria[2].workload",
        ];
        foreach (var path in expectedPaths)
        {
            Assert.Contains(error.Problems, p => p.Path == path);
        }

        Assert.All(error.Problems, p => Assert.True(p.Line > 0, $"no line for {p}"));
        Assert.Contains(messages, m => m.Contains("needs at least one on-demand pool", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'forever' is not a Go-style duration", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("unknown metric 'happiness'", StringComparison.Ordinal) && m.Contains("savingsPercent", StringComparison.Ordinal));
        Assert.Contains("bad.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_reports_the_line()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("name: x\nduration: [1h\n", "broken.yaml"));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("not valid YAML", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line > 0);
    }

    [Fact]
    public void A_missing_file_is_a_clear_problem()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile("/nonexistent/scenario.yaml"));

        Assert.Contains("cannot read the scenario file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_presets_must_match_the_operator_classifier()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(
            """
            name: mixed
            duration: 1h
            nodePools:
              - { name: od, capacityType: on-demand, hourlyPrice: 0.1, preset: gke }
            workloads:
              - { name: web, replicas: 3 }
            """, "mixed.yaml"));

        Assert.Contains(error.Problems, p => p.Path == "nodePools[0].preset" && p.Message.Contains("nodeClassifier.preset", StringComparison.Ordinal));
    }

    [Fact]
    public void Stepped_replicas_hold_each_value_until_the_next_step()
    {
        var schedule = new SteppedReplicas([new(TimeSpan.Zero, 3), new(TimeSpan.FromHours(2), 8), new(TimeSpan.FromHours(5), 1)]);

        Assert.Equal(3, schedule.At(TimeSpan.Zero));
        Assert.Equal(3, schedule.At(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1)));
        Assert.Equal(8, schedule.At(TimeSpan.FromHours(2)));
        Assert.Equal(1, schedule.At(TimeSpan.FromHours(20)));
        Assert.Equal(8, schedule.Peak);
    }

    [Fact]
    public void A_daily_curve_peaks_at_its_peak_time_and_changes_only_at_its_resolution()
    {
        var curve = new DailyCurveReplicas(4, 30, TimeSpan.FromHours(14), TimeSpan.FromMinutes(30));

        Assert.Equal(30, curve.At(TimeSpan.FromHours(14)));
        Assert.Equal(4, curve.At(TimeSpan.FromHours(2)));
        Assert.Equal(30, curve.At(TimeSpan.FromHours(38)));
        Assert.Equal(curve.At(TimeSpan.FromHours(9)), curve.At(TimeSpan.FromHours(9) + TimeSpan.FromMinutes(29)));
        for (var minute = 0; minute < 24 * 60; minute += 7)
        {
            var replicas = curve.At(TimeSpan.FromMinutes(minute));
            Assert.InRange(replicas, 4, 30);
        }
    }
}
