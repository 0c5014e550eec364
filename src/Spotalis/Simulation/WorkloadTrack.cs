namespace Spotalis.Simulation;

/// <summary>Accumulates one workload's series and measurements step by step.</summary>
internal sealed class WorkloadTrack
{
    private readonly List<int> _seconds = [];
    private readonly List<int> _desired = [];
    private readonly List<int> _desiredSpot = [];
    private readonly List<int> _spot = [];
    private readonly List<int> _onDemand = [];
    private readonly List<int> _pending = [];
    private readonly List<int> _ready = [];
    private readonly List<int> _fallback = [];
    private TimeSpan? _convergedAt;
    private int? _previousReadyOnDemand;
    private int? _minReady;
    private double? _minReadyPercent;
    private double _readySeconds;
    private double _readySpotSeconds;
    private double _podSeconds;
    private double _cost;

    public int Evictions { get; set; }

    public int FloorViolations { get; private set; }

    public double FallbackSeconds { get; private set; }

    public double PendingPodSeconds { get; private set; }

    public TimeSpan? ConvergedAt => _convergedAt;

    public double ReadySeconds => _readySeconds;

    public double ReadySpotSeconds => _readySpotSeconds;

    public void Observe(TimeSpan at, TimeSpan elapsed, WorkloadObservation o)
    {
        var dt = elapsed.TotalSeconds;
        PendingPodSeconds += o.Pending * dt;
        if (o.Fallback > 0)
        {
            FallbackSeconds += dt;
        }

        _readySeconds += o.Ready * dt;
        _readySpotSeconds += o.ReadySpot * dt;
        _podSeconds += (o.Spot + o.OnDemand) * dt;
        _cost += o.SlotCostPerHour * elapsed.TotalHours;

        if (_convergedAt is null && o.Converged)
        {
            _convergedAt = at;
        }

        if (_convergedAt is not null)
        {
            _minReady = Math.Min(_minReady ?? int.MaxValue, o.Ready);
            if (o.Desired > 0)
            {
                _minReadyPercent = Math.Min(_minReadyPercent ?? double.MaxValue, 100.0 * Math.Min(o.Ready, o.Desired) / o.Desired);
            }

            // A violation is a loss of Ready on-demand replicas that leaves fewer than the floor: a scale-up that
            // raises the floor before its new pods are Ready is not one.
            var floor = Math.Min(o.MinOnDemand, o.Desired);
            if (_previousReadyOnDemand is { } before && o.ReadyOnDemand < before && o.ReadyOnDemand < floor)
            {
                FloorViolations++;
            }
        }

        _previousReadyOnDemand = o.ReadyOnDemand;
    }

    public void Sample(int seconds, WorkloadObservation o)
    {
        _seconds.Add(seconds);
        _desired.Add(o.Desired);
        _desiredSpot.Add(o.DesiredSpot);
        _spot.Add(o.Spot);
        _onDemand.Add(o.OnDemand);
        _pending.Add(o.Pending);
        _ready.Add(o.Ready);
        _fallback.Add(o.Fallback);
    }

    public WorkloadSeries Series() => new(_seconds, _desired, _desiredSpot, _spot, _onDemand, _pending, _ready, _fallback);

    /// <param name="onDemandSlotPricePerHour">The cheapest on-demand pod slot: what the same pod-hours would cost without spot.</param>
    public WorkloadTotals Totals(decimal onDemandSlotPricePerHour)
    {
        var baseline = _podSeconds / 3600 * (double)onDemandSlotPricePerHour;
        return new(
        Evictions,
        Round(FallbackSeconds / 60),
        _minReady,
        _minReadyPercent is { } p ? Round(p) : null,
        FloorViolations,
        _convergedAt is { } c ? Round(c.TotalMinutes) : null,
        Round(PendingPodSeconds / 60),
        _readySeconds > 0 ? Round(100 * _readySpotSeconds / _readySeconds) : null,
        Round(_podSeconds / 3600),
        Math.Round(_cost, 4),
        Math.Round(baseline, 4),
        baseline > 0 ? Round(100 * (baseline - _cost) / baseline) : null);
    }

    internal static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
