using Microsoft.Extensions.Logging;
using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Core.Steering;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Reconciliation;

/// <summary>
/// Invariant 8 across reconciles: judges each past move by where its replacement landed, pauses a workload's
/// evictions after futile ones, and lifts a pause caused by unplaced pods once the webhook places pods again.
/// </summary>
internal sealed class MoveJudge(IClusterView view, ReconcilerOptions options, ILogger logger, ReconcileMetrics metrics, Func<DateTimeOffset?>? admissionPathConfirmedAt)
{
    /// <summary>A move whose replacement never appeared (scale-down, a controller gone) is forgotten after this.</summary>
    private static readonly TimeSpan UnjudgedMoveExpiry = TimeSpan.FromMinutes(10);

    /// <summary>Judges past moves by where their replacements landed, and pauses the workload after futile ones (invariant 8).</summary>
    public void JudgeMoves(WorkloadRef workload, WorkloadMemory memory, DateTimeOffset now)
    {
        if (memory.PendingMoves.Count == 0)
        {
            return;
        }

        var pods = view.GetPods(workload)
            .Where(p => p.IsLive)
            .Select(ToReplacementFacts)
            .ToList();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var move in memory.PendingMoves.ToList())
        {
            var replacement = FutileMoves.ReplacementOf(move, pods, claimed);
            var verdict = FutileMoves.Judge(move, replacement);
            if (verdict == MoveVerdict.Unknown)
            {
                if (now - move.At > UnjudgedMoveExpiry)
                {
                    memory.PendingMoves.Remove(move);
                }

                continue;
            }

            claimed.Add(replacement!.Uid);
            memory.PendingMoves.Remove(move);
            metrics.MoveJudged(verdict);
            if (verdict == MoveVerdict.Steered)
            {
                if (memory.NotSteeredReported)
                {
                    var landedOn = CapacityTypes.ToLabelValue(move.To);
                    Log.PlacementSteeredAgain(logger, workload, replacement.Name, landedOn);
                }

                memory.ConsecutiveFutile = 0;
                memory.PausedUntil = null;
                memory.NotSteeredReported = false;
                continue;
            }

            memory.ConsecutiveFutile++;
            var pause = FutileMoves.PauseAfter(memory.ConsecutiveFutile, options.FutileMoveLimit, options.FutileBackoff, options.FutileBackoffMax);
            var what = verdict == MoveVerdict.Unplaced
                ? $"pod {replacement.Name}, which replaced evicted pod {move.PodName}, was created without Spotalis' placement"
                : $"pod {replacement.Name}, which replaced evicted pod {move.PodName}, landed on {CapacityTypes.ToLabelValue(move.From)} again instead of {CapacityTypes.ToLabelValue(move.To)}";
            Log.FutileMove(logger, workload, memory.ConsecutiveFutile, what);
            if (pause > TimeSpan.Zero)
            {
                memory.PausedUntil = now + pause;
                memory.PauseToReport = (what, pause);
#pragma warning disable RS0030 // Compared with AdmissionPathMonitor.ConfirmedAt, which is wall-clock time like the webhook it checks.
                memory.PauseStarted = (DateTimeOffset.UtcNow, verdict == MoveVerdict.Unplaced);
#pragma warning restore RS0030
            }
        }
    }

    /// <summary>
    /// A pause caused by replacements created without the webhook ends as soon as the admission-path check finds the
    /// webhook placing pods again: the cause is gone. One more futile move pauses again at once.
    /// </summary>
    public void LiftPauseIfWebhookIsBack(WorkloadRef workload, WorkloadMemory memory)
    {
        if (memory.PausedUntil is null || memory.PauseStarted is not { Unplaced: true } started ||
            admissionPathConfirmedAt?.Invoke() is not { } confirmed || confirmed <= started.At)
        {
            return;
        }

        Log.EvictionsResume(logger, workload);
        memory.PausedUntil = null;
        memory.PauseStarted = null;
        memory.ConsecutiveFutile = Math.Max(0, options.FutileMoveLimit - 1);
        memory.NotSteeredReported = false;
    }

    private ReplacementFacts ToReplacementFacts(PodSnapshot pod)
    {
        var placed = CapacityTypes.TryParse(pod.CapacityLabel, out var labelled);
        CapacityType? landed = placed ? labelled : null;
        if (pod.NodeName is { Length: > 0 } nodeName && view.GetNode(nodeName) is { } node &&
            options.Classifier.Classify(new NodeDescription(node.Name, node.Labels, node.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToArray(),
                node.Unschedulable)).CapacityType is { } onNode)
        {
            landed = onNode;
        }

        return new ReplacementFacts(pod.Name, pod.Uid, pod.CreatedAt, landed, placed);
    }
}
