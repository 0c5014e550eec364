using Spotalis.Scenarios;
using Spotalis.Simulation;

namespace Spotalis.Tests.Support;

/// <summary>
/// Drives a <see cref="SimulationRecorder"/> with hand-made observations: a 2-hour run of one 10-replica workload
/// (70 % spot, floor 2) that converges after 5 minutes, loses a spot node at 40 minutes and recovers.
/// </summary>
public static class SyntheticRun
{
    public const string ScenarioYaml =
        """
        name: synthetic
        description: hand-made observations
        duration: 2h
        step: 30s
        nodePools:
          - { name: od, capacityType: on-demand, hourlyPrice: 0.2, initialSize: 1, podsPerNode: 8 }
          - { name: spot, capacityType: spot, hourlyPrice: 0.06, initialSize: 1, podsPerNode: 8, interruptionRatePerHour: 0.1, outages: [{ start: 60m, duration: 20m }] }
        workloads:
          - name: web
            namespace: shop
            replicas: 10
            annotations: { spotalis.io/spot-percentage: "70", spotalis.io/min-on-demand: "2" }
        hypothesis:
          statement: spot saves money safely
          criteria:
            - { metric: savingsPercent, op: gte, value: 30 }
            - { metric: floorViolations, op: lte, value: 0 }
            - { metric: minReadyReplicas, op: gte, value: 9, workload: shop/web }
            - { metric: timeToConvergeMinutes, op: lt, value: 2 }
        """;

    public static Scenario Scenario => ScenarioLoader.Parse(ScenarioYaml, "synthetic.yaml");

    public static VersionInfo Versions { get; } = new("spotalis 0.1.0", "test", ".NET test");

    public static SimulationSummary Run(Func<TimeSpan, WorkloadObservation, WorkloadObservation>? distort = null)
    {
        var scenario = Scenario;
        var recorder = new SimulationRecorder(scenario, 42, [new WorkloadDescriptor("shop", "web", "Deployment", 70, 2, true)]);
        recorder.EnterPhase(SimulationPhase.Pending, TimeSpan.Zero, null);
        recorder.EnterPhase(SimulationPhase.Provisioning, TimeSpan.Zero, TimeSpan.FromMinutes(30));
        var provisioned = false;
        for (var at = scenario.Step; at <= scenario.Duration; at += scenario.Step)
        {
            var observation = Observe(at);
            if (distort is not null)
            {
                observation = distort(at, observation);
            }

            if (!provisioned && observation.Pending == 0)
            {
                recorder.EnterPhase(SimulationPhase.Running, at, scenario.Duration);
                provisioned = true;
            }

            if (at == TimeSpan.FromMinutes(40))
            {
                recorder.RecordInterruption(at, "spot-1", "spot");
            }

            if (at == TimeSpan.FromMinutes(50))
            {
                recorder.RecordEviction("shop/web");
            }

            var spotNodes = at >= TimeSpan.FromMinutes(60) && at < TimeSpan.FromMinutes(80) ? 0 : 1;
            recorder.Observe(at, scenario.Step, [observation], [new PoolObservation("od", 1), new PoolObservation("spot", spotNodes)]);
        }

        return recorder.Complete(scenario.Duration, Versions);
    }

    /// <summary>
    /// A sweep over 0-100 % in steps of 25 built from the synthetic run: savings grow with the share, the floor
    /// breaks at 75 % and above, so the recommendation is 50 %.
    /// </summary>
    public static SweepSummary Sweep()
    {
        int[] grid = [0, 25, 50, 75, 100];
        var runs = grid.Select(spot =>
        {
            var run = Run();
            var web = run.Workloads[0];
            var totals = web.Totals with { FloorViolations = spot >= 75 ? 1 : 0, SavingsPercent = spot * 0.6 };
            return run with { Workloads = [web with { Totals = totals }], Totals = run.Totals with { SavingsPercent = spot * 0.5 } };
        }).ToList();
        var scenario = Scenario with
        {
            Hypothesis = new Hypothesis("the floor holds", [new SuccessCriterion(ScenarioMetrics.FloorViolations, ComparisonOperator.Lte, 0, null), new SuccessCriterion(ScenarioMetrics.MinReadyReplicas, ComparisonOperator.Gte, 7, "shop/web")]),
        };
        return SweepRunner.Summarize(scenario, grid.Select(s => new PolicyOverride(s, null)).ToList(), runs, grid, null);
    }

    /// <summary>Starts all pending, converges at 5 min, loses 3 spot pods at 40 min for 2 min.</summary>
    private static WorkloadObservation Observe(TimeSpan at)
    {
        if (at < TimeSpan.FromMinutes(2))
        {
            return new("shop/web", 10, 7, 3, 2, 0, 0, 10, 0, 0, 0);
        }

        if (at < TimeSpan.FromMinutes(5))
        {
            return new("shop/web", 10, 7, 3, 2, 5, 5, 0, 5, 5, 0);
        }

        if (at >= TimeSpan.FromMinutes(40) && at < TimeSpan.FromMinutes(42))
        {
            return new("shop/web", 10, 7, 3, 2, 4, 3, 3, 4, 3, 0);
        }

        return new("shop/web", 10, 7, 3, 2, 7, 3, 0, 7, 3, 0);
    }
}
