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
/// An identical Event (same workload, reason and message) within <see cref="DedupWindow"/> is not created again: the
/// first one becomes an Event series and its count goes up (<c>series.count</c>/<c>series.lastObservedTime</c>, or
/// <c>count</c>/<c>lastTimestamp</c> for core/v1), as kubectl shows it ("x17 over 5m"). Failures are logged, never
/// thrown: an Event is never worth a failed reconcile.
/// </summary>
public sealed class EventRecorder
{
    public static readonly TimeSpan DedupWindow = TimeSpan.FromMinutes(10);

    private readonly IKubernetes _client;
    private readonly string _instance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Recorded> _recent = new(StringComparer.Ordinal);
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
        if (_recent.TryGetValue(key, out var last) && now - last.At < DedupWindow)
        {
            var again = last with { Count = last.Count + 1 };
            _recent[key] = again;
            await CountAgainAsync(again, now, cancellationToken);
            return;
        }

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
        _recent[key] = new Recorded(now, workload.Namespace, name, 1, _useCoreEvents);
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
                            Type = workloadEvent.Type.ToString(),
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
                    Log.CoreEventsFallback(_logger);
                    _useCoreEvents = true;
                    _recent[key] = _recent[key] with { Core = true };
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
                    Type = workloadEvent.Type.ToString(),
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
            Log.EventNotRecorded(_logger, e, workloadEvent.Reason, workload);
        }
    }

    /// <summary>Raises the count of an Event series (the Event keeps its first time; the series says when it last happened).</summary>
    private async Task CountAgainAsync(Recorded recorded, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var patch = recorded.Core
            ? "{\"count\":" + recorded.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"lastTimestamp\":\"" + time[..19] + "Z\"}"
            : "{\"series\":{\"count\":" + recorded.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"lastObservedTime\":\"" + time + "\"}}";
        try
        {
            if (recorded.Core)
            {
                await _client.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), recorded.Name, recorded.Namespace,
                    cancellationToken: cancellationToken);
            }
            else
            {
                await _client.EventsV1.PatchNamespacedEventAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), recorded.Name, recorded.Namespace,
                    cancellationToken: cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            Log.EventNotCounted(_logger, recorded.Name, e.Message);
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
            if (now - at.At >= DedupWindow)
            {
                _recent.TryRemove(key, out _);
            }
        }
    }

    /// <summary>An Event this replica created, to count its repetitions.</summary>
    private sealed record Recorded(DateTimeOffset At, string Namespace, string Name, int Count, bool Core);
}
