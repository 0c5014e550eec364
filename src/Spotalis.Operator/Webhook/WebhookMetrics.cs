using Prometheus;
using Spotalis.Core.Capacity;
using Spotalis.Operator.Webhook.Admission;

namespace Spotalis.Operator.Webhook;

/// <summary>The webhook's Prometheus metrics, named exactly as the product contract says.</summary>
public sealed class WebhookMetrics
{
    private readonly Counter.Child _patched;
    private readonly Counter.Child _skipped;
    private readonly Counter.Child _error;
    private readonly Counter.Child _invalid;
    private readonly Counter.Child _spot;
    private readonly Counter.Child _onDemand;

    public WebhookMetrics(CollectorRegistry? registry = null)
    {
        var factory = Metrics.WithCustomRegistry(registry ?? Metrics.DefaultRegistry);
        Requests = factory.CreateCounter(
            "spotalis_webhook_requests_total",
            "Admission requests answered by the webhook, by result (patched, skipped, error, invalid).",
            "result");
        Decisions = factory.CreateCounter(
            "spotalis_webhook_decisions_total",
            "Pods placed by the webhook, by capacity type.",
            "capacity_type");
        Forwarded = factory.CreateCounter(
            "spotalis_webhook_forwarded_total",
            "Admission requests on a follower, by who decided (leader: the leader's webhook; local: the leader did not answer in time; no_leader: no live leader was advertised).",
            "result");
        Duration = factory.CreateHistogram(
            "spotalis_webhook_duration_seconds",
            "Time to decide and answer one admission request.",
            new HistogramConfiguration
            {
                Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
            });
        foreach (var result in (string[])["leader", "local", "no_leader"])
        {
            Forwarded.WithLabels(result);
        }

        _patched = Requests.WithLabels("patched");
        _skipped = Requests.WithLabels("skipped");
        _error = Requests.WithLabels("error");
        _invalid = Requests.WithLabels("invalid");
        _spot = Decisions.WithLabels(CapacityTypes.ToLabelValue(CapacityType.Spot));
        _onDemand = Decisions.WithLabels(CapacityTypes.ToLabelValue(CapacityType.OnDemand));
    }

    public Counter Requests { get; }

    public Counter Decisions { get; }

    public Counter Forwarded { get; }

    public Histogram Duration { get; }

    public void Count(AdmissionResultKind kind)
    {
        var child = kind switch
        {
            AdmissionResultKind.Patched => _patched,
            AdmissionResultKind.Skipped => _skipped,
            AdmissionResultKind.Error => _error,
            _ => _invalid,
        };
        child.Inc();
    }

    public void CountDecision(CapacityType capacityType) =>
        (capacityType == CapacityType.Spot ? _spot : _onDemand).Inc();
}
