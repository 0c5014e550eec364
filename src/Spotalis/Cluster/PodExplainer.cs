using System.Globalization;
using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Core.Planning;
using Spotalis.Core.Timing;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;

namespace Spotalis.Cluster;

/// <summary>Builds a <see cref="PodExplanation"/> from a cluster view with the operator's own classifier and reconciler logic.</summary>
public sealed class PodExplainer(IClusterView view, SpotalisConfig config, TimeProvider time)
{
    private readonly WorkloadStatusReader _reader = new(view, config, time);
    private readonly NodeClassifier _classifier = new(ReconcilerOptions.PresetFor(config.NodeClassifier));

    public PodExplanation Explain(PodSnapshot pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var (nodeType, classification) = ClassifyNode(pod.NodeName);
        var webhookType = pod.CapacityLabel;
        var placement = webhookType switch
        {
            null => "the webhook did not place this pod (it was created before Spotalis managed the workload, or the webhook skipped it)",
            _ when pod.IsFallback => $"the webhook meant it for spot but placed it on {webhookType} because spot capacity was unavailable (fallback)",
            _ => $"the webhook placed it on {webhookType} (label {SpotalisKeys.CapacityType}={webhookType}) to move the workload toward its desired split",
        };

        var owner = view.ResolveOwner(pod.Namespace, pod.Owners);
        if (owner is null)
        {
            return new PodExplanation(pod.Namespace, pod.Name, pod.Phase, pod.Ready, pod.NodeName, nodeType, classification, null, false,
                "none", [], webhookType, pod.IsFallback, placement, null, null, null, null,
                "nothing: the pod is not owned by a Deployment or StatefulSet that Spotalis can see, so Spotalis leaves it alone");
        }

        var evaluation = _reader.Evaluate(owner);
        var policy = evaluation.Policy?.Policy;
        var policyText = policy is null
            ? "none"
            : $"enabled={policy.Enabled.ToString().ToLowerInvariant()}, spot {policy.SpotPercentage} %, floor {policy.MinOnDemand} on-demand, disruption budget {policy.DisruptionBudget}" +
              (policy.FallbackAfter is { } f ? $", fallback after {GoDuration.Format(f)}" : string.Empty);
        var problems = evaluation.Policy?.Errors.Select(e => e.Message).Concat(evaluation.Policy.Warnings.Select(w => "warning: " + w.Message)).Concat(evaluation.Policy.Notes.Select(n => "note: " + n.Message)).ToList() ?? [];
        return new PodExplanation(
            pod.Namespace,
            pod.Name,
            pod.Phase,
            pod.Ready,
            pod.NodeName,
            nodeType,
            classification,
            owner.ToString(),
            evaluation.Managed,
            policyText,
            problems,
            webhookType,
            pod.IsFallback,
            placement,
            evaluation.Managed ? evaluation.State.ToString() : null,
            evaluation.Reason,
            evaluation.Managed ? $"{I(evaluation.Desired.Spot)} spot / {I(evaluation.Desired.OnDemand)} on-demand" : null,
            evaluation.Managed ? $"{I(evaluation.Actual.Spot)} spot / {I(evaluation.Actual.OnDemand)} on-demand, {I(evaluation.Actual.Pending)} pending" : null,
            NextStep(pod, evaluation));
    }

    private (string? CapacityType, string Description) ClassifyNode(string? nodeName)
    {
        if (nodeName is null)
        {
            return (null, "not scheduled yet");
        }

        var node = view.GetNode(nodeName);
        if (node is null)
        {
            return (null, $"node {nodeName} is not visible (it is gone, or nodes cannot be listed)");
        }

        var result = _classifier.Classify(new NodeDescription(
            node.Name, node.Labels, node.Taints.Select(t => new NodeTaint(t.Key, t.Value, t.Effect)).ToList(), node.Unschedulable));
        var type = result.CapacityType is { } c ? CapacityTypes.ToLabelValue(c) : null;
        return (type, $"{type ?? "unknown"}{(result.Leaving ? " (leaving)" : string.Empty)}: {result.Reason}");
    }

    private static string NextStep(PodSnapshot pod, WorkloadEvaluation evaluation)
    {
        if (!evaluation.Managed)
        {
            return $"nothing: the workload is not managed ({evaluation.Reason})";
        }

        if (evaluation.Plan?.Action is { } action && action.PodName == pod.Name)
        {
            var verb = evaluation.Plan.Outcome == PlanOutcome.ReadOnly ? "would evict (read-only mode)" : "evict";
            return $"{verb} this pod so that its replacement runs on {CapacityTypes.ToLabelValue(action.To)} instead of {CapacityTypes.ToLabelValue(action.From)}: {action.Reason}";
        }

        if (evaluation.Plan?.Action is { } other)
        {
            return $"nothing for this pod; the workload's next step is to evict {other.PodName} ({CapacityTypes.ToLabelValue(other.From)} -> {CapacityTypes.ToLabelValue(other.To)})";
        }

        return $"nothing for this pod: {evaluation.State} ({evaluation.Reason})";
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
