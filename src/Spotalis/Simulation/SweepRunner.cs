using System.Globalization;
using Spotalis.Core.Policy;
using Spotalis.Scenarios;

namespace Spotalis.Simulation;

/// <summary>
/// Runs one scenario at every point of a grid of spot percentages (and optionally floors), each point an ordinary
/// seeded <see cref="SimulationRunner"/> run with every workload's policy overridden, and recommends per workload
/// the highest share that kept it available. Points are independent, so they may run in parallel; the results do
/// not depend on the order they finish in.
/// </summary>
public sealed class SweepRunner
{
    private readonly Scenario _scenario;
    private readonly int _seed;
    private readonly TimeSpan _wallClockLimitPerPoint;
    private readonly IReadOnlyList<int> _spotPercentages;
    private readonly IReadOnlyList<int>? _minOnDemands;
    private readonly int _parallelism;

    public SweepRunner(Scenario scenario, int? seed, TimeSpan wallClockLimitPerPoint, IReadOnlyList<int> spotPercentages, IReadOnlyList<int>? minOnDemands, int parallelism)
    {
        _scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
        _seed = seed ?? scenario.Seed;
        _wallClockLimitPerPoint = wallClockLimitPerPoint;
        _spotPercentages = spotPercentages ?? throw new ArgumentNullException(nameof(spotPercentages));
        _minOnDemands = minOnDemands;
        _parallelism = Math.Max(1, parallelism);
        if (spotPercentages.Count == 0)
        {
            throw new ArgumentException("a sweep needs at least one spot percentage", nameof(spotPercentages));
        }
    }

    /// <summary>Called when a point finishes, with how many have finished and how many there are.</summary>
    public Action<PolicyOverride, int, int>? Progress { get; init; }

    /// <summary>The overrides the sweep runs, in grid order (floors outer, spot percentages inner).</summary>
    public IReadOnlyList<PolicyOverride> Grid =>
        (_minOnDemands is null ? [(int?)null] : _minOnDemands.Select(f => (int?)f).ToList())
            .SelectMany(floor => _spotPercentages.Select(spot => new PolicyOverride(spot, floor)))
            .ToList();

    /// <summary>The folder name of a point's run inside the sweep's output folder.</summary>
    public static string DirectoryOf(PolicyOverride point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return string.Create(CultureInfo.InvariantCulture, $"spot-{point.SpotPercentage:000}") +
            (point.MinOnDemand is { } floor ? string.Create(CultureInfo.InvariantCulture, $"-floor-{floor}") : string.Empty);
    }

    public async Task<(SweepSummary Sweep, IReadOnlyList<SimulationSummary> Runs)> RunAsync(CancellationToken cancellationToken)
    {
        var grid = Grid;
        var runs = new SimulationSummary[grid.Count];
        var finished = 0;
        using var slots = new SemaphoreSlim(_parallelism);
        var tasks = grid.Select((point, index) => Task.Run(
            async () =>
            {
                await slots.WaitAsync(cancellationToken);
                try
                {
                    runs[index] = await new SimulationRunner(point.Apply(_scenario), _seed, _wallClockLimitPerPoint).RunAsync(cancellationToken);
                }
                finally
                {
                    slots.Release();
                }

                Progress?.Invoke(point, Interlocked.Increment(ref finished), grid.Count);
            },
            cancellationToken)).ToList();
        await Task.WhenAll(tasks);
        return (Summarize(_scenario, grid, runs, _spotPercentages, _minOnDemands), runs);
    }

    /// <summary>Judges every run and makes the per-workload recommendations.</summary>
    public static SweepSummary Summarize(Scenario scenario, IReadOnlyList<PolicyOverride> grid, IReadOnlyList<SimulationSummary> runs, IReadOnlyList<int> spotPercentages, IReadOnlyList<int>? minOnDemands)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(runs);
        var criteria = AvailabilityCriteria.Of(scenario);
        var keys = scenario.Workloads.Select(w => $"{w.Namespace}/{w.Name}").ToList();
        var points = grid.Select((point, i) => Point(point, runs[i], criteria, keys)).ToList();
        var recommendations = scenario.Workloads.Select((w, i) => Recommend(w, keys[i], points)).ToList();
        var first = runs[0];
        return new SweepSummary(1, first.Scenario, first.Seed, first.Versions, spotPercentages, minOnDemands, criteria.Select(c => c.ToString()).ToList(), points, recommendations);
    }

    private static SweepPoint Point(PolicyOverride point, SimulationSummary run, IReadOnlyList<SuccessCriterion> criteria, IReadOnlyList<string> keys)
    {
        var workloads = keys.Select(key =>
        {
            var result = run.Workloads.First(w => w.Key == key);
            var judged = AvailabilityCriteria.Judge(criteria, run, key);
            var unmet = judged.Criteria.Where(c => c.Verdict != Verdict.Validated).Select(Unmet).ToList();
            var t = result.Totals;
            return new SweepWorkloadPoint(key, judged.Verdict == Verdict.Validated, t.SavingsPercent, t.Cost, t.SpotSharePercent, t.MinReadyReplicas, t.MinReadyPercent, t.FloorViolations, unmet);
        }).ToList();
        return new SweepPoint(point.SpotPercentage ?? 0, point.MinOnDemand, run.Outcome, run.FailureReason, run.Totals.SavingsPercent, run.Totals.Cost, run.Totals.BaselineCost,
            DirectoryOf(point), workloads);
    }

    private static WorkloadRecommendation Recommend(WorkloadSpec workload, string key, IReadOnlyList<SweepPoint> points)
    {
        var current = PolicyParser.Parse(workload.Labels, workload.Annotations, null).Policy;
        (SweepPoint Point, SweepWorkloadPoint Workload)? best = null;
        (SweepPoint Point, SweepWorkloadPoint Workload)? firstUnmet = null;
        foreach (var floorColumn in points.GroupBy(p => p.MinOnDemand))
        {
            (SweepPoint, SweepWorkloadPoint)? safe = null;
            foreach (var point in floorColumn.OrderBy(p => p.SpotPercentage))
            {
                var mine = point.Workloads.First(w => w.Workload == key);
                if (!mine.Met)
                {
                    if (firstUnmet is null || point.SpotPercentage < firstUnmet.Value.Point.SpotPercentage)
                    {
                        firstUnmet = (point, mine);
                    }

                    break;
                }

                safe = (point, mine);
            }

            if (safe is { } candidate && (best is null || IsBetter(candidate, best.Value)))
            {
                best = candidate;
            }
        }

        var unmetText = firstUnmet is { } u && (best is null || u.Point.SpotPercentage > best.Value.Point.SpotPercentage || u.Point.MinOnDemand != best.Value.Point.MinOnDemand)
            ? $"{Describe(u.Point)}: {string.Join("; ", u.Workload.Unmet)}"
            : null;
        return new WorkloadRecommendation(key, current.SpotPercentage, current.MinOnDemand,
            best?.Point.SpotPercentage, best is { } b ? b.Point.MinOnDemand ?? current.MinOnDemand : null, best?.Workload.SavingsPercent, unmetText);
    }

    /// <summary>
    /// More spot wins; at the same share the floor that saves more, and at equal savings the higher floor: more
    /// on-demand protection that costs nothing.
    /// </summary>
    private static bool IsBetter((SweepPoint Point, SweepWorkloadPoint Workload) candidate, (SweepPoint Point, SweepWorkloadPoint Workload) best)
    {
        if (candidate.Point.SpotPercentage != best.Point.SpotPercentage)
        {
            return candidate.Point.SpotPercentage > best.Point.SpotPercentage;
        }

        var savings = Math.Round(candidate.Workload.SavingsPercent ?? 0, 1).CompareTo(Math.Round(best.Workload.SavingsPercent ?? 0, 1));
        return savings != 0 ? savings > 0 : (candidate.Point.MinOnDemand ?? 0) > (best.Point.MinOnDemand ?? 0);
    }

    public static string Describe(SweepPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return string.Create(CultureInfo.InvariantCulture, $"{point.SpotPercentage} % spot") +
            (point.MinOnDemand is { } f ? string.Create(CultureInfo.InvariantCulture, $", floor {f}") : string.Empty);
    }

    private static string Unmet(CriterionResult c) => c.Actual is { } actual
        ? string.Create(CultureInfo.InvariantCulture, $"{c.Metric} was {actual} (needs {OpText(c.Op)} {c.Value})")
        : $"{c.Metric}: {c.Explanation}";

    private static string OpText(string op) => ComparisonOperators.TryParse(op, out var parsed) ? ComparisonOperators.ToText(parsed) : op;
}
