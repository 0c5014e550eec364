using Spotalis.Core.Capacity;
using Spotalis.Core.Timing;
using Spotalis.Scenarios;

namespace Spotalis.Simulation;

/// <summary>
/// Collects what a stepped run observes — phases, per-step workload and pool observations, interruptions,
/// evictions — and turns it into a <see cref="SimulationSummary"/>. Pure bookkeeping on cluster time.
/// </summary>
public sealed class SimulationRecorder
{
    /// <summary>The series keep about this many points whatever the duration, so reports stay small.</summary>
    public const int TargetSamples = 720;

    private readonly Scenario _scenario;
    private readonly int _seed;
    private readonly IReadOnlyList<WorkloadDescriptor> _workloads;
    private readonly Dictionary<string, WorkloadTrack> _tracks;
    private readonly Dictionary<string, NodePoolSpec> _pools;
    private readonly Dictionary<string, (List<int> Seconds, List<int> Nodes, double NodeSeconds, double Cost)> _poolTracks;
    private readonly decimal _onDemandPricePerSlot;
    private readonly List<PhaseRecord> _phases = [];
    private readonly List<InterruptionRecord> _interruptions = [];
    private readonly List<int> _costSeconds = [];
    private readonly List<double> _cost = [];
    private readonly List<double> _baseline = [];
    private double _costTotal;
    private double _baselineTotal;
    private TimeSpan _nextSample = TimeSpan.Zero;
    private TimeSpan _lastObserved = TimeSpan.Zero;

    public SimulationRecorder(Scenario scenario, int seed, IReadOnlyList<WorkloadDescriptor> workloads)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(workloads);
        _scenario = scenario;
        _seed = seed;
        _workloads = workloads;
        _tracks = workloads.ToDictionary(w => w.Key, _ => new WorkloadTrack(), StringComparer.Ordinal);
        _pools = scenario.NodePools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _poolTracks = scenario.NodePools.ToDictionary(p => p.Name, _ => (new List<int>(), new List<int>(), 0.0, 0.0), StringComparer.Ordinal);
        var onDemand = scenario.NodePools.Where(p => p.CapacityType == CapacityType.OnDemand).ToList();
        _onDemandPricePerSlot = onDemand.Count == 0 ? 0 : onDemand.Min(p => p.HourlyPrice / p.PodsPerNode);
        SampleInterval = ChooseSampleInterval(scenario.Duration, scenario.Step);
    }

    public TimeSpan SampleInterval { get; }

    public SimulationPhase CurrentPhase => _phases.Count == 0 ? SimulationPhase.Pending : _phases[^1].Phase;

    /// <summary>Closes the current phase (met unless it is past its deadline) and opens the next one.</summary>
    public void EnterPhase(SimulationPhase phase, TimeSpan at, TimeSpan? deadline)
    {
        CloseCurrentPhase(at, met: true);
        _phases.Add(new PhaseRecord(phase, Seconds(at), null, deadline is { } d ? Seconds(d) : null, Met: true));
    }

    /// <summary>Records one step: <paramref name="elapsed"/> of cluster time ending at <paramref name="at"/>.</summary>
    public void Observe(TimeSpan at, TimeSpan elapsed, IReadOnlyList<WorkloadObservation> workloads, IReadOnlyList<PoolObservation> pools)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(pools);
        _lastObserved = at;
        var hours = elapsed.TotalHours;
        foreach (var pool in pools)
        {
            if (!_pools.TryGetValue(pool.Pool, out var spec))
            {
                continue;
            }

            var track = _poolTracks[pool.Pool];
            var cost = pool.Nodes * (double)spec.HourlyPrice * hours;
            track.NodeSeconds += pool.Nodes * elapsed.TotalSeconds;
            track.Cost += cost;
            _poolTracks[pool.Pool] = track;
            _costTotal += cost;
            _baselineTotal += pool.Nodes * spec.PodsPerNode * (double)_onDemandPricePerSlot * hours;
        }

        foreach (var observation in workloads)
        {
            if (_tracks.TryGetValue(observation.Key, out var track))
            {
                track.Observe(at, elapsed, observation);
            }
        }

        if (at < _nextSample)
        {
            return;
        }

        var seconds = Seconds(at);
        _nextSample += SampleInterval;
        while (_nextSample <= at)
        {
            _nextSample += SampleInterval;
        }

        foreach (var observation in workloads)
        {
            if (_tracks.TryGetValue(observation.Key, out var track))
            {
                track.Sample(seconds, observation);
            }
        }

        foreach (var pool in pools)
        {
            if (_poolTracks.TryGetValue(pool.Pool, out var track))
            {
                track.Seconds.Add(seconds);
                track.Nodes.Add(pool.Nodes);
            }
        }

        _costSeconds.Add(seconds);
        _cost.Add(Math.Round(_costTotal, 4));
        _baseline.Add(Math.Round(_baselineTotal, 4));
    }

    public void RecordInterruption(TimeSpan at, string node, string pool) =>
        _interruptions.Add(new InterruptionRecord(Seconds(at), node, pool));

    public void RecordEviction(string workloadKey)
    {
        if (_tracks.TryGetValue(workloadKey, out var track))
        {
            track.Evictions++;
        }
    }

    /// <summary>Ends the run as Complete at <paramref name="at"/>.</summary>
    public SimulationSummary Complete(TimeSpan at, VersionInfo versions)
    {
        CloseCurrentPhase(at, met: true);
        _phases.Add(new PhaseRecord(SimulationPhase.Complete, Seconds(at), Seconds(at), null, Met: true));
        return Build(RunOutcome.Complete, null, versions);
    }

    /// <summary>Ends the run as Failed: the current phase is marked as not met and the reason kept.</summary>
    public SimulationSummary Fail(TimeSpan at, string reason, VersionInfo versions)
    {
        CloseCurrentPhase(at, met: false);
        _phases.Add(new PhaseRecord(SimulationPhase.Failed, Seconds(at), Seconds(at), null, Met: false));
        return Build(RunOutcome.Failed, reason, versions);
    }

    private void CloseCurrentPhase(TimeSpan at, bool met)
    {
        if (_phases.Count == 0 || _phases[^1].EndedAtSeconds is not null)
        {
            return;
        }

        var open = _phases[^1];
        var ended = Seconds(at);
        var inTime = open.DeadlineSeconds is not { } deadline || ended <= deadline;
        _phases[^1] = open with { EndedAtSeconds = ended, Met = met && inTime };
    }

    private SimulationSummary Build(RunOutcome outcome, string? failureReason, VersionInfo versions)
    {
        var workloads = _workloads.Select(w =>
        {
            var track = _tracks[w.Key];
            return new WorkloadResult(w.Namespace, w.Name, w.Kind, w.SpotPercentage, w.MinOnDemand, w.PolicyValid, track.Series(), track.Totals(_onDemandPricePerSlot));
        }).ToList();

        var pools = _scenario.NodePools.Select(p =>
        {
            var track = _poolTracks[p.Name];
            return new PoolResult(p.Name, CapacityTypes.ToLabelValue(p.CapacityType), p.HourlyPrice, track.Seconds, track.Nodes,
                WorkloadTrack.Round(track.NodeSeconds / 3600), Math.Round(track.Cost, 4));
        }).ToList();

        var runEnd = Seconds(_lastObserved);
        var outages = _scenario.NodePools
            .SelectMany(p => p.Outages.Select(o => new OutageRecord(p.Name, Seconds(o.Start), Math.Min(Seconds(o.End), Seconds(_scenario.Duration)))))
            .Where(o => o.StartSeconds <= runEnd)
            .OrderBy(o => o.StartSeconds)
            .ToList();

        var totals = Totals();
        var summary = new SimulationSummary(
            SchemaVersion: 1,
            new ScenarioInfo(_scenario.Name, _scenario.Description, GoDuration.Format(_scenario.Duration), GoDuration.Format(_scenario.Step), Seconds(_scenario.Duration)),
            _seed,
            versions,
            outcome,
            failureReason,
            _phases.ToList(),
            Seconds(SampleInterval),
            workloads,
            pools,
            new CostSeries(_costSeconds, _cost, _baseline),
            _interruptions.ToList(),
            outages,
            totals,
            Hypothesis: null);
        return _scenario.Hypothesis is null ? summary : summary with { Hypothesis = CriteriaEvaluator.Evaluate(_scenario.Hypothesis, summary) };
    }

    private RunTotals Totals()
    {
        var tracks = _workloads.Select(w => _tracks[w.Key]).ToList();
        var converged = tracks.All(t => t.ConvergedAt is not null) && tracks.Count > 0;
        var minReady = tracks.Select(t => t.Totals(_onDemandPricePerSlot).MinReadyReplicas).ToList();
        var minReadyPercent = tracks.Select(t => t.Totals(_onDemandPricePerSlot).MinReadyPercent).ToList();
        var readySeconds = tracks.Sum(t => t.ReadySeconds);
        return new RunTotals(
            Math.Round(_costTotal, 4),
            Math.Round(_baselineTotal, 4),
            _baselineTotal > 0 ? WorkloadTrack.Round(100 * (_baselineTotal - _costTotal) / _baselineTotal) : null,
            _interruptions.Count,
            tracks.Sum(t => t.Evictions),
            WorkloadTrack.Round(tracks.Sum(t => t.FallbackSeconds) / 60),
            minReady.Count > 0 && minReady.All(m => m is not null) ? minReady.Min() : null,
            minReadyPercent.Count > 0 && minReadyPercent.All(m => m is not null) ? minReadyPercent.Min() : null,
            tracks.Sum(t => t.FloorViolations),
            converged ? WorkloadTrack.Round(tracks.Max(t => t.ConvergedAt!.Value.TotalMinutes)) : null,
            WorkloadTrack.Round(tracks.Sum(t => t.PendingPodSeconds) / 60),
            readySeconds > 0 ? WorkloadTrack.Round(100 * tracks.Sum(t => t.ReadySpotSeconds) / readySeconds) : null);
    }

    private static TimeSpan ChooseSampleInterval(TimeSpan duration, TimeSpan step)
    {
        var steps = (long)Math.Ceiling(duration.Ticks / (double)TargetSamples / step.Ticks);
        return TimeSpan.FromTicks(step.Ticks * Math.Max(1, steps));
    }

    private static int Seconds(TimeSpan value) => (int)Math.Round(value.TotalSeconds);
}
