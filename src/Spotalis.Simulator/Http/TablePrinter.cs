using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>): the columns kubectl shows
/// for each kind, with priority-1 columns for <c>-o wide</c>.
/// </summary>
internal static class TablePrinter
{
    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Table(ResourceType resource, IEnumerable<IKubernetesObject<V1ObjectMeta>> items, string resourceVersion, string? continueToken, string? includeObject, DateTimeOffset now)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray(Columns(resource).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : string.Empty,
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = new JsonArray(items.Select(i => (JsonNode)Row(i, includeObject, now)).ToArray()),
        };
    }

    private static JsonObject Row(IKubernetesObject<V1ObjectMeta> obj, string? includeObject, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = new JsonArray(Cells(obj, now).Select(Cell).ToArray()) };
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                row["object"] = KubeJson.ToNode(obj);
                break;
            default:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = KubeJson.ToNode(obj)["metadata"]?.DeepClone(),
                };
                break;
        }

        return row;
    }

    private static JsonNode? Cell(object? value) => value switch
    {
        null => null,
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        string text => JsonValue.Create(text),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static IReadOnlyList<(string Name, string Type, int Priority)> Columns(ResourceType resource) => resource.Kind switch
    {
        "Pod" => [("Name", "string", 0), ("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0), ("Age", "string", 0), ("IP", "string", 1), ("Node", "string", 1), ("Nominated Node", "string", 1), ("Readiness Gates", "string", 1)],
        "Namespace" => [("Name", "string", 0), ("Status", "string", 0), ("Age", "string", 0)],
        "Node" => [("Name", "string", 0), ("Status", "string", 0), ("Roles", "string", 0), ("Age", "string", 0), ("Version", "string", 0), ("Internal-IP", "string", 1), ("External-IP", "string", 1), ("OS-Image", "string", 1), ("Kernel-Version", "string", 1), ("Container-Runtime", "string", 1)],
        "Deployment" => [("Name", "string", 0), ("Ready", "string", 0), ("Up-to-date", "integer", 0), ("Available", "integer", 0), ("Age", "string", 0), ("Containers", "string", 1), ("Images", "string", 1), ("Selector", "string", 1)],
        "ReplicaSet" => [("Name", "string", 0), ("Desired", "integer", 0), ("Current", "integer", 0), ("Ready", "integer", 0), ("Age", "string", 0), ("Containers", "string", 1), ("Images", "string", 1), ("Selector", "string", 1)],
        "StatefulSet" => [("Name", "string", 0), ("Ready", "string", 0), ("Age", "string", 0), ("Containers", "string", 1), ("Images", "string", 1)],
        "PodDisruptionBudget" => [("Name", "string", 0), ("Min Available", "string", 0), ("Max Unavailable", "string", 0), ("Allowed Disruptions", "integer", 0), ("Age", "string", 0)],
        "Service" => [("Name", "string", 0), ("Type", "string", 0), ("Cluster-IP", "string", 0), ("External-IP", "string", 0), ("Port(s)", "string", 0), ("Age", "string", 0), ("Selector", "string", 1)],
        "ConfigMap" => [("Name", "string", 0), ("Data", "integer", 0), ("Age", "string", 0)],
        "Secret" => [("Name", "string", 0), ("Type", "string", 0), ("Data", "integer", 0), ("Age", "string", 0)],
        "Endpoints" => [("Name", "string", 0), ("Endpoints", "string", 0), ("Age", "string", 0)],
        "EndpointSlice" => [("Name", "string", 0), ("AddressType", "string", 0), ("Ports", "string", 0), ("Endpoints", "string", 0), ("Age", "string", 0)],
        "Lease" => [("Name", "string", 0), ("Holder", "string", 0), ("Age", "string", 0)],
        "Event" when resource.Group.Length == 0 => [("Last Seen", "string", 0), ("Type", "string", 0), ("Reason", "string", 0), ("Object", "string", 0), ("Message", "string", 0)],
        _ => [("Name", "string", 0), ("Age", "string", 0)],
    };

    private static IEnumerable<object?> Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now)
    {
        var name = obj.Metadata.Name;
        var age = Age(obj.Metadata.CreationTimestamp, now);
        return obj switch
        {
            V1Pod pod => [name, PodReady(pod), PodStatus(pod), Restarts(pod), age, pod.Status?.PodIP ?? "<none>", pod.Spec?.NodeName ?? "<none>", pod.Status?.NominatedNodeName ?? "<none>", "<none>"],
            V1Namespace ns => [name, ns.Status?.Phase ?? "Active", age],
            V1Node node => [name, NodeStatus(node), NodeRoles(node), age, node.Status?.NodeInfo?.KubeletVersion ?? string.Empty,
                node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? "<none>",
                node.Status?.Addresses?.FirstOrDefault(a => a.Type == "ExternalIP")?.Address ?? "<none>",
                node.Status?.NodeInfo?.OsImage ?? "<unknown>", node.Status?.NodeInfo?.KernelVersion ?? "<unknown>", node.Status?.NodeInfo?.ContainerRuntimeVersion ?? "<unknown>"],
            V1Deployment d => [name, $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 0}", d.Status?.UpdatedReplicas ?? 0, d.Status?.AvailableReplicas ?? 0, age,
                Containers(d.Spec?.Template?.Spec), Images(d.Spec?.Template?.Spec), Selector(d.Spec?.Selector)],
            V1ReplicaSet rs => [name, rs.Spec?.Replicas ?? 0, rs.Status?.Replicas ?? 0, rs.Status?.ReadyReplicas ?? 0, age,
                Containers(rs.Spec?.Template?.Spec), Images(rs.Spec?.Template?.Spec), Selector(rs.Spec?.Selector)],
            V1StatefulSet sts => [name, $"{sts.Status?.ReadyReplicas ?? 0}/{sts.Spec?.Replicas ?? 0}", age, Containers(sts.Spec?.Template?.Spec), Images(sts.Spec?.Template?.Spec)],
            V1PodDisruptionBudget pdb => [name, pdb.Spec?.MinAvailable?.Value ?? "N/A", pdb.Spec?.MaxUnavailable?.Value ?? "N/A", pdb.Status?.DisruptionsAllowed ?? 0, age],
            V1Service svc => [name, svc.Spec?.Type ?? "ClusterIP", svc.Spec?.ClusterIP ?? "<none>", "<none>",
                svc.Spec?.Ports is { Count: > 0 } ports ? string.Join(',', ports.Select(p => $"{p.Port}/{p.Protocol ?? "TCP"}")) : "<none>", age,
                svc.Spec?.Selector is { Count: > 0 } sel ? string.Join(',', sel.Select(kv => $"{kv.Key}={kv.Value}")) : "<none>"],
            V1ConfigMap cm => [name, (cm.Data?.Count ?? 0) + (cm.BinaryData?.Count ?? 0), age],
            V1Secret secret => [name, secret.Type ?? "Opaque", secret.Data?.Count ?? 0, age],
            V1Endpoints ep => [name, EndpointAddresses(ep), age],
            V1EndpointSlice slice => [name, slice.AddressType ?? string.Empty,
                slice.Ports is { Count: > 0 } slicePorts ? string.Join(',', slicePorts.Select(p => p.Port?.ToString(CultureInfo.InvariantCulture) ?? "<unset>")) : "<unset>",
                slice.Endpoints is { Count: > 0 } endpoints ? string.Join(',', endpoints.SelectMany(e => e.Addresses ?? [])) : "<unset>", age],
            V1Lease lease => [name, lease.Spec?.HolderIdentity ?? string.Empty, age],
            Corev1Event ev => [Age(ev.LastTimestamp ?? ev.EventTime ?? ev.Metadata.CreationTimestamp, now), ev.Type, ev.Reason,
                $"{ev.InvolvedObject?.Kind?.ToLowerInvariant()}/{ev.InvolvedObject?.Name}", ev.Message],
            _ => [name, age],
        };
    }

    private static string PodReady(V1Pod pod)
    {
        var total = pod.Spec?.Containers?.Count ?? 0;
        var ready = pod.Status?.ContainerStatuses?.Count(s => s.Ready) ??
            (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? total : 0);
        return $"{ready}/{total}";
    }

    private static string PodStatus(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return "Terminating";
        }

        var waiting = pod.Status?.ContainerStatuses?.Select(s => s.State?.Waiting?.Reason).FirstOrDefault(r => !string.IsNullOrEmpty(r));
        return waiting ?? pod.Status?.Reason ?? pod.Status?.Phase ?? "Pending";
    }

    private static int Restarts(V1Pod pod) => pod.Status?.ContainerStatuses?.Sum(s => s.RestartCount) ?? 0;

    private static string NodeStatus(V1Node node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var status = ready?.Status == "True" ? "Ready" : ready is null ? "Unknown" : "NotReady";
        return node.Spec?.Unschedulable == true ? status + ",SchedulingDisabled" : status;
    }

    private static string NodeRoles(V1Node node)
    {
        var roles = (node.Metadata.Labels ?? new Dictionary<string, string>()).Keys
            .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(k => k["node-role.kubernetes.io/".Length..]).ToList();
        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static string EndpointAddresses(V1Endpoints endpoints)
    {
        var all = (endpoints.Subsets ?? []).SelectMany(s => (s.Addresses ?? []).SelectMany(a => (s.Ports ?? []).Select(p => $"{a.Ip}:{p.Port}"))).ToList();
        return all.Count == 0 ? "<none>" : string.Join(',', all);
    }

    private static string Containers(V1PodSpec? spec) => string.Join(',', spec?.Containers?.Select(c => c.Name) ?? []);

    private static string Images(V1PodSpec? spec) => string.Join(',', spec?.Containers?.Select(c => c.Image) ?? []);

    private static string Selector(V1LabelSelector? selector) =>
        selector?.MatchLabels is { Count: > 0 } labels ? string.Join(',', labels.Select(kv => $"{kv.Key}={kv.Value}")) : "<none>";

    /// <summary>The apiserver's short human duration (5s, 3m2s, 4h, 2d3h, ...).</summary>
    public static string Age(DateTime? since, DateTimeOffset now)
    {
        if (since is null)
        {
            return "<unknown>";
        }

        var d = now - new DateTimeOffset(DateTime.SpecifyKind(since.Value, DateTimeKind.Utc));
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        var seconds = (long)d.TotalSeconds;
        var minutes = (long)d.TotalMinutes;
        var hours = (long)d.TotalHours;
        return seconds switch
        {
            < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
            _ when minutes < 10 => seconds % 60 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m") : string.Create(CultureInfo.InvariantCulture, $"{minutes}m{seconds % 60}s"),
            _ when hours < 3 => string.Create(CultureInfo.InvariantCulture, $"{minutes}m"),
            _ when hours < 8 => minutes % 60 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours}h") : string.Create(CultureInfo.InvariantCulture, $"{hours}h{minutes % 60}m"),
            _ when hours < 48 => string.Create(CultureInfo.InvariantCulture, $"{hours}h"),
            _ when hours < 24 * 8 => hours % 24 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours / 24}d") : string.Create(CultureInfo.InvariantCulture, $"{hours / 24}d{hours % 24}h"),
            _ when hours < 24 * 365 * 2 => string.Create(CultureInfo.InvariantCulture, $"{hours / 24}d"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{hours / 24 / 365}y"),
        };
    }
}
