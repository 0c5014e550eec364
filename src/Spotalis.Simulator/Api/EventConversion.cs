using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// One set of Events, two APIs: Events are stored as core/v1 and served through events.k8s.io/v1 with the field
/// mapping of the apiserver's conversion (regarding/involvedObject, note/message, reportingController/
/// reportingComponent, deprecatedSource/source, deprecatedCount/count, deprecatedFirst|LastTimestamp, series).
/// </summary>
internal static class EventConversion
{
    public static Corev1Event ToCore(Eventsv1Event e) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = e.Metadata,
        InvolvedObject = e.Regarding ?? new V1ObjectReference(),
        Related = e.Related,
        Message = e.Note,
        Reason = e.Reason,
        Type = e.Type,
        Action = e.Action,
        EventTime = e.EventTime,
        Series = e.Series is null ? null : new Corev1EventSeries { Count = e.Series.Count, LastObservedTime = e.Series.LastObservedTime },
        ReportingComponent = e.ReportingController,
        ReportingInstance = e.ReportingInstance,
        Source = e.DeprecatedSource,
        Count = e.DeprecatedCount,
        FirstTimestamp = e.DeprecatedFirstTimestamp,
        LastTimestamp = e.DeprecatedLastTimestamp,
    };

    public static Eventsv1Event ToEvents(Corev1Event e) => new()
    {
        ApiVersion = "events.k8s.io/v1",
        Kind = "Event",
        Metadata = e.Metadata,
        Regarding = e.InvolvedObject,
        Related = e.Related,
        Note = e.Message,
        Reason = e.Reason,
        Type = e.Type,
        Action = e.Action,
        EventTime = e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp,
        Series = e.Series is null ? null : new Eventsv1EventSeries { Count = e.Series.Count ?? 0, LastObservedTime = e.Series.LastObservedTime ?? e.EventTime ?? DateTime.MinValue },
        ReportingController = e.ReportingComponent,
        ReportingInstance = e.ReportingInstance,
        DeprecatedSource = e.Source,
        DeprecatedCount = e.Count,
        DeprecatedFirstTimestamp = e.FirstTimestamp,
        DeprecatedLastTimestamp = e.LastTimestamp,
    };

    /// <summary>The stored object as <paramref name="resource"/> serves it (an events.k8s.io/v1 view of a core Event).</summary>
    public static T View<T>(ResourceType resource, T obj)
        where T : class =>
        resource.ModelType == typeof(Eventsv1Event) && obj is Corev1Event core ? (T)(object)ToEvents(core) : obj;
}
