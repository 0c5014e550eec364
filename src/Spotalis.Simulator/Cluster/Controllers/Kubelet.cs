using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Matching;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// Every node's kubelet at once, plus the node-side parts of the control plane that act on pods: starts bound
/// pods (Pending -> Running -> Ready after the configured delays, with podIP, containerStatuses and conditions),
/// finishes terminating pods when their containers have stopped (delete with grace 0), evicts pods from nodes
/// with an untolerated NoExecute taint (the taint manager, honouring tolerationSeconds), and removes the pods of a
/// node that no longer exists (pod GC).
/// </summary>
internal sealed class Kubelet(ControllerContext context) : WorkQueueController<string>(context, StringComparer.Ordinal)
{
    private const string NodePrefix = "node:";
    private readonly Dictionary<string, int> _nextAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _firstSeenBound = new(StringComparer.Ordinal);

    public override string Name => "kubelet";

    public override void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous)
    {
        switch (obj)
        {
            case V1Pod pod when !string.IsNullOrEmpty(pod.Spec?.NodeName):
                var key = ObjectKey.Of(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
                if (type == ClusterChangeType.Deleted)
                {
                    _firstSeenBound.Remove(key);
                }
                else if (PodFacts.IsTerminating(pod) || !PodFacts.IsReady(pod) || previous is not V1Pod)
                {
                    MarkDirty(key);
                }

                break;
            case V1Pod pod when PodFacts.IsTerminating(pod) && type != ClusterChangeType.Deleted:
                // Never scheduled: nothing runs, so nothing to wait for.
                MarkDirty(ObjectKey.Of(pod.Metadata.NamespaceProperty, pod.Metadata.Name));
                break;
            case V1Node node:
                if (type == ClusterChangeType.Deleted || HasNoExecuteTaint(node) || (previous is V1Node old && HasNoExecuteTaint(old)))
                {
                    MarkDirty(NodePrefix + node.Metadata.Name);
                }

                break;
        }
    }

    protected override Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (key.StartsWith(NodePrefix, StringComparison.Ordinal))
        {
            ReconcileNode(key[NodePrefix.Length..]);
        }
        else
        {
            ReconcilePod(key);
        }

        return Task.CompletedTask;
    }

    private void ReconcileNode(string nodeName)
    {
        var node = Context.State.GetNode(nodeName);
        foreach (var entry in Context.State.PodsOnNode(nodeName))
        {
            if (node is null)
            {
                ForceDelete(entry.Pod);
            }
            else
            {
                ApplyNoExecuteTaints(entry, node);
            }
        }

        if (node is null)
        {
            _nextAddress.Remove(nodeName);
        }
    }

    private void ReconcilePod(string key)
    {
        var entry = Context.State.GetPod(key);
        if (entry is null)
        {
            _firstSeenBound.Remove(key);
            return;
        }

        var pod = entry.Pod;
        var now = Context.Now;
        if (PodFacts.IsTerminating(pod))
        {
            FinishTermination(key, pod, entry.NodeName, now);
            return;
        }

        if (entry.NodeName is null)
        {
            return;
        }

        var node = Context.State.GetNode(entry.NodeName);
        if (node is null)
        {
            ForceDelete(pod);
            return;
        }

        if (ApplyNoExecuteTaints(entry, node) || PodFacts.IsFinished(pod))
        {
            return;
        }

        if (pod.Status?.Phase is null or PodFacts.Pending)
        {
            var boundAt = BoundAt(key, pod, now);
            var startAt = boundAt + Context.Options.PodStartDelay;
            if (startAt > now)
            {
                WakeAt(key, startAt);
                return;
            }

            Start(pod, node, now, ready: Context.Options.PodReadyDelay <= TimeSpan.Zero);
            if (Context.Options.PodReadyDelay > TimeSpan.Zero)
            {
                WakeAt(key, now + Context.Options.PodReadyDelay);
            }

            return;
        }

        if (pod.Status.Phase == PodFacts.Running && !PodFacts.IsReady(pod))
        {
            var readyAt = (pod.Status.StartTime ?? now) + Context.Options.PodReadyDelay;
            if (readyAt > now)
            {
                WakeAt(key, readyAt);
                return;
            }

            MarkReady(pod, now);
        }
    }

    private DateTime BoundAt(string key, V1Pod pod, DateTime now)
    {
        if (PodFacts.FindCondition(pod, "PodScheduled") is { Status: "True", LastTransitionTime: { } scheduledAt })
        {
            return scheduledAt;
        }

        if (!_firstSeenBound.TryGetValue(key, out var seen))
        {
            seen = now;
            _firstSeenBound[key] = seen;
        }

        return seen;
    }

    // The containers stop after min(grace period, ContainerStopDuration) from the deletion request.
    private void FinishTermination(string key, V1Pod pod, string? nodeName, DateTime now)
    {
        if (nodeName is null || PodFacts.IsFinished(pod))
        {
            ForceDelete(pod);
            return;
        }

        var deletionAt = pod.Metadata.DeletionTimestamp!.Value;
        var grace = TimeSpan.FromSeconds(pod.Metadata.DeletionGracePeriodSeconds ?? 0);
        var requestedAt = deletionAt - grace;
        var stop = Context.Options.ContainerStopDuration is { } duration && duration < grace ? duration : grace;
        var finishAt = requestedAt + stop;
        if (finishAt > now)
        {
            WakeAt(key, finishAt);
            return;
        }

        ForceDelete(pod);
    }

    /// <summary>Deletes the pod now when an untolerated NoExecute taint is on its node (or schedules it for tolerationSeconds).</summary>
    private bool ApplyNoExecuteTaints(PodEntry entry, V1Node node)
    {
        var pod = entry.Pod;
        if (PodFacts.IsTerminating(pod) || node.Spec?.Taints is not { } taints)
        {
            return false;
        }

        DateTime? evictAt = null;
        foreach (var taint in taints)
        {
            if (taint.Effect != TolerationMatcher.NoExecute)
            {
                continue;
            }

            var toleration = TolerationMatcher.FindToleration(pod.Spec.Tolerations, taint);
            if (toleration is null)
            {
                evictAt = Context.Now;
                break;
            }

            if (toleration.TolerationSeconds is { } seconds)
            {
                var at = (taint.TimeAdded ?? Context.Now).AddSeconds(Math.Max(0, seconds));
                evictAt = evictAt is null || at < evictAt ? at : evictAt;
            }
        }

        if (evictAt is null)
        {
            return false;
        }

        if (evictAt > Context.Now)
        {
            WakeAt(entry.Key, evictAt.Value);
            return false;
        }

        try
        {
            Context.Api.Delete<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }
        catch (ApiException ex) when (ex.StatusCode == 404)
        {
            // Already gone.
        }

        return true;
    }

    private void ForceDelete(V1Pod pod)
    {
        try
        {
            Context.Api.Delete<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, gracePeriodSeconds: 0);
        }
        catch (ApiException ex) when (ex.StatusCode == 404)
        {
            // Already gone.
        }
    }

    private void Start(V1Pod pod, V1Node node, DateTime now, bool ready)
    {
        var hostIp = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? "10.0.0.1";
        var podIp = NextPodIp(node);
        Context.Api.Mutate<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, p =>
        {
            if (p.Spec.NodeName != node.Metadata.Name || p.Metadata.DeletionTimestamp is not null || p.Status?.Phase is PodFacts.Running or PodFacts.Succeeded or PodFacts.Failed)
            {
                return false;
            }

            var status = p.Status ??= new V1PodStatus();
            status.Phase = PodFacts.Running;
            status.StartTime = now;
            status.HostIP = hostIp;
            status.HostIPs = [new V1HostIP { Ip = hostIp }];
            status.PodIP = podIp;
            status.PodIPs = [new V1PodIP { Ip = podIp }];
            status.QosClass ??= QosClass(p.Spec);
            status.ContainerStatuses = [.. (p.Spec.Containers ?? []).Select(c => ContainerStatus(p, c, now, ready))];
            SetCondition(status, "PodReadyToStartContainers", "True", now);
            SetCondition(status, "Initialized", "True", now);
            SetCondition(status, "Ready", ready ? "True" : "False", now, ready ? null : "ContainersNotReady");
            SetCondition(status, "ContainersReady", ready ? "True" : "False", now, ready ? null : "ContainersNotReady");
            SetCondition(status, "PodScheduled", "True", now);
            return true;
        });
    }

    private void MarkReady(V1Pod pod, DateTime now)
    {
        Context.Api.Mutate<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, p =>
        {
            if (p.Metadata.DeletionTimestamp is not null || p.Status?.Phase != PodFacts.Running)
            {
                return false;
            }

            foreach (var container in p.Status.ContainerStatuses ?? [])
            {
                container.Ready = true;
            }

            SetCondition(p.Status, "Ready", "True", now);
            SetCondition(p.Status, "ContainersReady", "True", now);
            return true;
        });
    }

    private static V1ContainerStatus ContainerStatus(V1Pod pod, V1Container container, DateTime now, bool ready)
    {
        var image = NormalizeImage(container.Image ?? "unknown");
        var repository = image.Split(':')[0];
        return new V1ContainerStatus
        {
            Name = container.Name,
            Image = image,
            ImageID = $"{repository}@sha256:{Sha256Hex(image)}",
            ContainerID = $"containerd://{Sha256Hex(pod.Metadata.Uid + "/" + container.Name)}",
            Ready = ready,
            Started = true,
            RestartCount = 0,
            State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now } },
        };
    }

    // "nginx" -> "docker.io/library/nginx:latest", as the container runtime reports it.
    private static string NormalizeImage(string image)
    {
        var name = image;
        var lastSlash = name.LastIndexOf('/');
        if (!name.Contains('@', StringComparison.Ordinal) && name.IndexOf(':', lastSlash + 1) < 0)
        {
            name += ":latest";
        }

        var firstSlash = name.IndexOf('/', StringComparison.Ordinal);
        var hasRegistry = firstSlash > 0 && (name[..firstSlash].Contains('.', StringComparison.Ordinal) || name[..firstSlash].Contains(':', StringComparison.Ordinal) || name[..firstSlash] == "localhost");
        if (hasRegistry)
        {
            return name;
        }

        return firstSlash < 0 ? "docker.io/library/" + name : "docker.io/" + name;
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string QosClass(V1PodSpec spec)
    {
        var containers = spec.Containers ?? [];
        var any = containers.Any(c => c.Resources?.Requests is { Count: > 0 } || c.Resources?.Limits is { Count: > 0 });
        if (!any)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
            c.Resources?.Limits is { } limits && limits.ContainsKey("cpu") && limits.ContainsKey("memory")
            && (c.Resources.Requests is null
                || c.Resources.Requests.All(r => !limits.TryGetValue(r.Key, out var limit) || limit.ToDecimal() == r.Value.ToDecimal())));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static void SetCondition(V1PodStatus status, string type, string value, DateTime now, string? reason = null)
    {
        status.Conditions ??= [];
        var condition = status.Conditions.FirstOrDefault(c => c.Type == type);
        if (condition is null)
        {
            status.Conditions.Add(new V1PodCondition { Type = type, Status = value, Reason = reason, LastTransitionTime = now });
            return;
        }

        if (condition.Status != value)
        {
            condition.LastTransitionTime = now;
        }

        condition.Status = value;
        condition.Reason = reason;
        condition.Message = null;
    }

    private string NextPodIp(V1Node node)
    {
        var name = node.Metadata.Name;
        var next = _nextAddress.GetValueOrDefault(name, 2);
        _nextAddress[name] = next >= 254 ? 2 : next + 1;
        var cidr = node.Spec?.PodCIDR;
        var prefix = "10.244.0";
        if (!string.IsNullOrEmpty(cidr))
        {
            var address = cidr.Split('/')[0];
            var lastDot = address.LastIndexOf('.');
            if (lastDot > 0)
            {
                prefix = address[..lastDot];
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{prefix}.{next}");
    }

    private static bool HasNoExecuteTaint(V1Node node) =>
        node.Spec?.Taints?.Any(t => t.Effect == TolerationMatcher.NoExecute) == true;
}
