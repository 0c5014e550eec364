using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Operator.Observability;

/// <summary>
/// Writes events.k8s.io/v1 Events on workloads (falling back to core/v1 where events.k8s.io is not served).
/// Identical Events (same workload, reason and message) within <see cref="DedupWindow"/> are not repeated, so a
/// periodic resync never floods the namespace. Failures are logged, never thrown: an Event is never worth a
/// failed reconcile.
/// </summary>
public sealed class EventRecorder
{
    public static readonly TimeSpan DedupWindow = TimeSpan.FromMinutes(10);

    private readonly IKubernetes _client;
    private readonly string _instance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new(StringComparer.Ordinal);
    private volatile bool _useCoreEvents;

    public EventRecorder(IKubernetes client, string instance, TimeProvider time, ILogger<EventRecorder> logger)
    {
        _client = client;
        _instance = instance;
        _time = time;
        _logger = logger;
    }

    public async Task RecordAsync(WorkloadEvent workloadEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workloadEvent);
        var now = _time.GetUtcNow();
        var key = $"{workloadEvent.Workload}|{workloadEvent.WorkloadUid}|{workloadEvent.Reason}|{workloadEvent.Message}";
        if (_recent.TryGetValue(key, out var last) && now - last < DedupWindow)
        {
            return;
        }

        _recent[key] = now;
        PruneOld(now);
        var workload = workloadEvent.Workload;
        var regarding = new V1ObjectReference
        {
            ApiVersion = "apps/v1",
            Kind = workload.Kind,
            NamespaceProperty = workload.Namespace,
            Name = workload.Name,
            Uid = workloadEvent.WorkloadUid,
        };
        var name = $"{workload.Name}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000):x3}";
        try
        {
            if (!_useCoreEvents)
            {
                try
                {
                    await _client.EventsV1.CreateNamespacedEventAsync(
                        new Eventsv1Event
                        {
                            ApiVersion = "events.k8s.io/v1",
                            Kind = "Event",
                            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = workload.Namespace },
                            EventTime = now.UtcDateTime,
                            Regarding = regarding,
                            Related = workloadEvent.RelatedPod is null
                                ? null
                                : new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = workload.Namespace, Name = workloadEvent.RelatedPod },
                            Reason = workloadEvent.Reason,
                            Note = workloadEvent.Message,
                            Type = workloadEvent.Type,
                            Action = workloadEvent.Action,
                            ReportingController = EventReasons.ReportingController,
                            ReportingInstance = _instance,
                        },
                        workload.Namespace,
                        cancellationToken: cancellationToken);
                    return;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound && e.Response.Content?.Contains("\"kind\":\"Event\"", StringComparison.Ordinal) != true)
                {
                    _logger.LogInformation("events.k8s.io/v1 is not served; recording core/v1 Events");
                    _useCoreEvents = true;
                }
            }

            await _client.CoreV1.CreateNamespacedEventAsync(
                new Corev1Event
                {
                    ApiVersion = "v1",
                    Kind = "Event",
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = workload.Namespace },
                    InvolvedObject = regarding,
                    Reason = workloadEvent.Reason,
                    Message = workloadEvent.Message,
                    Type = workloadEvent.Type,
                    Action = workloadEvent.Action,
                    Count = 1,
                    FirstTimestamp = now.UtcDateTime,
                    LastTimestamp = now.UtcDateTime,
                    EventTime = now.UtcDateTime,
                    Source = new V1EventSource { Component = EventReasons.ReportingController },
                    ReportingComponent = EventReasons.ReportingController,
                    ReportingInstance = _instance,
                },
                workload.Namespace,
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            _recent.TryRemove(key, out _);
            _logger.LogWarning(e, "Could not record {Reason} Event on {Workload}", workloadEvent.Reason, workload);
        }
    }

    private void PruneOld(DateTimeOffset now)
    {
        if (_recent.Count < 10_000)
        {
            return;
        }

        foreach (var (key, at) in _recent)
        {
            if (now - at >= DedupWindow)
            {
                _recent.TryRemove(key, out _);
            }
        }
    }
}
