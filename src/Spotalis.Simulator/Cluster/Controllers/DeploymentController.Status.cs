using System.Globalization;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The Deployment's status as the upstream controller writes it: observedGeneration, the replica counts and the
/// Available and Progressing conditions (with the progress deadline) that <c>kubectl rollout status</c> reads.
/// </summary>
internal sealed partial class DeploymentController
{
    private void UpdateStatus(string key, V1Deployment deployment, RolloutState plan, bool createdNew, bool scaled)
    {
        var replicas = Desired(deployment);
        var (_, maxUnavailable) = Limits(deployment);
        var newRs = plan.NewReplicaSet;
        var statusReplicas = plan.All.Sum(rs => rs.Status?.Replicas ?? 0);
        var updated = newRs?.Status?.Replicas ?? 0;
        var ready = plan.All.Sum(rs => rs.Status?.ReadyReplicas ?? 0);
        var available = plan.All.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var unavailable = Math.Max(0, plan.TotalSpecReplicas - available);
        var generation = deployment.Metadata.Generation;
        var complete = newRs is not null && updated == replicas && statusReplicas == replicas && available == replicas
            && plan.SpecReplicas(newRs) == replicas;
        var now = Context.Now;
        var deadline = deployment.Spec.ProgressDeadlineSeconds ?? 600;
        var revision = newRs is null ? null : Revision(newRs).ToString(CultureInfo.InvariantCulture);
        DateTime? wakeForDeadline = null;

        Context.Api.Mutate<V1Deployment>(deployment.Metadata.NamespaceProperty, deployment.Metadata.Name, d =>
        {
            var status = d.Status ??= new V1DeploymentStatus();
            var changed = false;
            if (status.ObservedGeneration != generation || status.Replicas != statusReplicas || status.UpdatedReplicas != updated
                || status.ReadyReplicas != ready || status.AvailableReplicas != available || status.UnavailableReplicas != unavailable)
            {
                var progressed = updated > (status.UpdatedReplicas ?? 0) || available > (status.AvailableReplicas ?? 0) || ready > (status.ReadyReplicas ?? 0);
                scaled |= progressed;
                status.ObservedGeneration = generation;
                status.Replicas = statusReplicas;
                status.UpdatedReplicas = updated;
                status.ReadyReplicas = ready;
                status.AvailableReplicas = available;
                status.UnavailableReplicas = unavailable;
                changed = true;
            }

            if (revision is not null && d.GetAnnotation(RevisionAnnotation) != revision)
            {
                d.Metadata.Annotations ??= new Dictionary<string, string>();
                d.Metadata.Annotations[RevisionAnnotation] = revision;
                changed = true;
            }

            var isAvailable = available >= replicas - maxUnavailable;
            changed |= SetCondition(status, "Available", isAvailable ? "True" : "False",
                isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, touch: false);

            if (newRs is not null && d.Spec.Paused != true)
            {
                var name = newRs.Metadata.Name;
                var progressing = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
                if (complete)
                {
                    changed |= SetCondition(status, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{name}\" has successfully progressed.", now, touch: false);
                }
                else if (createdNew)
                {
                    changed |= SetCondition(status, "Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{name}\"", now, touch: true);
                }
                else if (scaled || progressing is null || progressing.Reason == "NewReplicaSetAvailable")
                {
                    var reason = progressing is null ? "FoundNewReplicaSet" : "ReplicaSetUpdated";
                    var message = progressing is null ? $"Found new replica set \"{name}\"" : $"ReplicaSet \"{name}\" is progressing.";
                    changed |= SetCondition(status, "Progressing", "True", reason, message, now, touch: true);
                }
                else if (progressing is { Status: "True" } && progressing.LastUpdateTime is { } lastUpdate)
                {
                    var expiry = lastUpdate.AddSeconds(deadline);
                    if (expiry <= now)
                    {
                        changed |= SetCondition(status, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{name}\" has timed out progressing.", now, touch: true);
                    }
                    else
                    {
                        wakeForDeadline = expiry;
                    }
                }
            }

            return changed;
        });

        if (wakeForDeadline is { } due)
        {
            WakeAt(key, due);
        }
    }

    private static bool SetCondition(V1DeploymentStatus status, string type, string value, string reason, string message, DateTime now, bool touch)
    {
        status.Conditions ??= [];
        var existing = status.Conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            status.Conditions.Add(new V1DeploymentCondition
            {
                Type = type,
                Status = value,
                Reason = reason,
                Message = message,
                LastUpdateTime = now,
                LastTransitionTime = now,
            });
            return true;
        }

        if (existing.Status == value && existing.Reason == reason && existing.Message == message && !touch)
        {
            return false;
        }

        if (existing.Status == value && existing.Reason == reason && existing.Message == message && existing.LastUpdateTime == now)
        {
            return false;
        }

        if (existing.Status != value)
        {
            existing.LastTransitionTime = now;
        }

        existing.Status = value;
        existing.Reason = reason;
        existing.Message = message;
        existing.LastUpdateTime = now;
        return true;
    }
}
