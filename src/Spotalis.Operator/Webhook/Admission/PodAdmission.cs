using System.Globalization;
using System.Text.Json;
using Spotalis.Core.Workloads;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Webhook.Admission;

/// <summary>The facts about a pod being created that placement needs, read straight from the request JSON.</summary>
internal sealed class PodAdmission
{
    private const string PodTemplateHashLabel = "pod-template-hash";
    private const string ControllerRevisionHashLabel = "controller-revision-hash";

    private PodAdmission(string namespaceName, string name, JsonElement pod, IReadOnlyList<OwnerRef> owners)
    {
        Namespace = namespaceName;
        Name = name;
        Pod = pod;
        Owners = owners;
    }

    public string Namespace { get; }

    /// <summary>Empty for pods created with <c>generateName</c> (every ReplicaSet pod): the apiserver names them after admission.</summary>
    public string Name { get; }

    public JsonElement Pod { get; }

    public IReadOnlyList<OwnerRef> Owners { get; }

    public JsonElement Metadata => Pod.TryGetProperty("metadata", out var m) ? m : default;

    public JsonElement Spec => Pod.TryGetProperty("spec", out var s) ? s : default;

    /// <summary>The controlling owner's kind (ReplicaSet, StatefulSet, Job...), or null for a bare pod.</summary>
    public string? ControllerKind
    {
        get
        {
            for (var i = 0; i < Owners.Count; i++)
            {
                if (Owners[i].Controller)
                {
                    return Owners[i].Kind;
                }
            }

            return null;
        }
    }

    /// <summary>True when the pod's controller could lead to a managed workload (Deployment via ReplicaSet, or StatefulSet).</summary>
    public bool MayBelongToWorkload => ControllerKind is WorkloadKinds.ReplicaSet or WorkloadKinds.StatefulSet;

    public static PodAdmission From(AdmissionReviewRequest request)
    {
        var pod = request.Object;
        var metadata = pod.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var namespaceName = request.Namespace;
        if (namespaceName.Length == 0)
        {
            namespaceName = AdmissionReviewReader.GetString(metadata, "namespace") ?? "";
        }

        return new PodAdmission(namespaceName, AdmissionReviewReader.GetString(metadata, "name") ?? "", pod, ReadOwners(metadata));
    }

    public string? Label(string key)
    {
        var metadata = Metadata;
        return metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("labels", out var labels)
            ? AdmissionReviewReader.GetString(labels, key)
            : null;
    }

    /// <summary>pod-template-hash (Deployment) or controller-revision-hash (StatefulSet): which revision the pod belongs to.</summary>
    public string? Revision => Label(PodTemplateHashLabel) ?? Label(ControllerRevisionHashLabel);

    /// <summary>A StatefulSet pod's ordinal from its name (<c>web-3</c> -> 3); null when it has none.</summary>
    public int? StatefulSetOrdinal
    {
        get
        {
            if (ControllerKind != WorkloadKinds.StatefulSet)
            {
                return null;
            }

            var dash = Name.LastIndexOf('-');
            return dash >= 0 && int.TryParse(Name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
                ? ordinal
                : null;
        }
    }

    private static List<OwnerRef> ReadOwners(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object ||
            !metadata.TryGetProperty("ownerReferences", out var refs) ||
            refs.ValueKind != JsonValueKind.Array ||
            refs.GetArrayLength() == 0)
        {
            return new List<OwnerRef>(0);
        }

        var owners = new List<OwnerRef>(refs.GetArrayLength());
        foreach (var owner in refs.EnumerateArray())
        {
            if (owner.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var controller = owner.TryGetProperty("controller", out var c) && c.ValueKind == JsonValueKind.True;
            owners.Add(new OwnerRef(
                AdmissionReviewReader.GetString(owner, "kind") ?? "",
                AdmissionReviewReader.GetString(owner, "name") ?? "",
                AdmissionReviewReader.GetString(owner, "uid") ?? "",
                controller));
        }

        return owners;
    }
}
