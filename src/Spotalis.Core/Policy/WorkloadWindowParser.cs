using Spotalis.Core.Capacity;
using Spotalis.Core.Timing;

namespace Spotalis.Core.Policy;

/// <summary>
/// Reads a per-workload disruption window the way the Go release looked it up: the workload's annotations
/// <c>spotalis.io/disruption-schedule</c> + <c>spotalis.io/disruption-duration</c>, else the same keys as labels of the
/// workload's namespace, else none (the global window applies). Both keys or neither; an unreadable window is an error,
/// so the workload fails safe (no evictions) instead of being disrupted outside the window its owner set.
/// </summary>
internal static class WorkloadWindowParser
{
    private const string ScheduleRange = "a 5-field cron expression such as \"0 2 * * *\" (read in disruptionWindow.timeZone)";
    private const string DurationRange = "a positive Go duration such as 30m or 4h";

    public sealed record Window(string Schedule, TimeSpan Duration, string Source);

    public static Window? Parse(IReadOnlyDictionary<string, string> workloadAnnotations, IReadOnlyDictionary<string, string> namespaceLabels, List<PolicyIssue> errors) =>
        HasAny(workloadAnnotations)
            ? Read(workloadAnnotations, "workload annotations", errors)
            : HasAny(namespaceLabels) ? Read(namespaceLabels, "namespace labels", errors) : null;

    private static bool HasAny(IReadOnlyDictionary<string, string> map) =>
        map.ContainsKey(SpotalisKeys.DisruptionSchedule) || map.ContainsKey(SpotalisKeys.DisruptionDuration);

    private static Window? Read(IReadOnlyDictionary<string, string> map, string source, List<PolicyIssue> errors)
    {
        var hasSchedule = map.TryGetValue(SpotalisKeys.DisruptionSchedule, out var schedule);
        var hasDuration = map.TryGetValue(SpotalisKeys.DisruptionDuration, out var durationText);
        if (!hasSchedule || !hasDuration)
        {
            var (present, missing, value) = hasSchedule
                ? (SpotalisKeys.DisruptionSchedule, SpotalisKeys.DisruptionDuration, schedule!)
                : (SpotalisKeys.DisruptionDuration, SpotalisKeys.DisruptionSchedule, durationText!);
            errors.Add(PolicyParser.Issue(present, value, $"is set without {missing}", $"both keys or neither (in {source}); no evictions until fixed"));
            return null;
        }

        var ok = true;
        if (!GoDuration.TryParse(durationText!, out var duration) || duration <= TimeSpan.Zero || durationText!.Trim() != durationText)
        {
            errors.Add(PolicyParser.Issue(SpotalisKeys.DisruptionDuration, durationText!, $"is not a positive Go duration (in {source})", DurationRange));
            ok = false;
        }

        if (!DisruptionWindow.TryCreate(schedule!, ok ? duration : TimeSpan.FromHours(1), "UTC", out _, out _) || string.IsNullOrWhiteSpace(schedule))
        {
            errors.Add(PolicyParser.Issue(SpotalisKeys.DisruptionSchedule, schedule!, $"is not a valid cron expression (in {source})", ScheduleRange));
            ok = false;
        }

        return ok ? new Window(schedule!.Trim(), duration, source) : null;
    }
}
