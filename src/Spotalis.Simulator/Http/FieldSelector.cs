using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// A field selector (<c>metadata.name=x,spec.nodeName!=y</c>) over the fields the apiserver supports for each kind:
/// <c>metadata.name</c> and <c>metadata.namespace</c> everywhere, plus pod, event, secret and node specific fields.
/// </summary>
internal sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, string Value, bool Equal)> _requirements;

    private FieldSelector(IReadOnlyList<(string Field, string Value, bool Equal)> requirements) => _requirements = requirements;

    public bool IsEverything => _requirements.Count == 0;

    /// <summary>The value of a <c>metadata.name=</c> requirement, which narrows a list to one object.</summary>
    public string? ExactName => _requirements.FirstOrDefault(r => r.Field == "metadata.name" && r.Equal).Value;

    public static FieldSelector Parse(string? text, ResourceType resource)
    {
        var result = new List<(string, string, bool)>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (field, value, equal) = part.Contains("!=", StringComparison.Ordinal)
                ? (part[..part.IndexOf("!=", StringComparison.Ordinal)], part[(part.IndexOf("!=", StringComparison.Ordinal) + 2)..], false)
                : part.Contains("==", StringComparison.Ordinal)
                    ? (part[..part.IndexOf("==", StringComparison.Ordinal)], part[(part.IndexOf("==", StringComparison.Ordinal) + 2)..], true)
                    : part.Contains('=', StringComparison.Ordinal)
                        ? (part[..part.IndexOf('=', StringComparison.Ordinal)], part[(part.IndexOf('=', StringComparison.Ordinal) + 1)..], true)
                        : throw new ApiException(400, "BadRequest", $"invalid selector: '{text}'; can't understand '{part}'");
            if (!Supported(resource, field))
            {
                throw new ApiException(400, "BadRequest", $"field label not supported: {field}");
            }

            result.Add((field, value, equal));
        }

        return new FieldSelector(result);
    }

    public bool Matches(IKubernetesObject<V1ObjectMeta> obj)
    {
        foreach (var (field, value, equal) in _requirements)
        {
            if ((Value(obj, field) == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Supported(ResourceType resource, string field) =>
        field is "metadata.name" or "metadata.namespace" || Value(Sample(resource.ModelType), field) is not Unsupported;

    private const string Unsupported = "\u0000unsupported";

    private static IKubernetesObject<V1ObjectMeta> Sample(Type type) => (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(type)!;

    private static string? Value(IKubernetesObject<V1ObjectMeta> obj, string field) => field switch
    {
        "metadata.name" => obj.Metadata?.Name,
        "metadata.namespace" => obj.Metadata?.NamespaceProperty ?? string.Empty,
        _ => obj switch
        {
            V1Pod pod => field switch
            {
                "spec.nodeName" => pod.Spec?.NodeName ?? string.Empty,
                "status.phase" => pod.Status?.Phase ?? string.Empty,
                "spec.restartPolicy" => pod.Spec?.RestartPolicy ?? string.Empty,
                "spec.schedulerName" => pod.Spec?.SchedulerName ?? string.Empty,
                "spec.serviceAccountName" => pod.Spec?.ServiceAccountName ?? string.Empty,
                "status.podIP" => pod.Status?.PodIP ?? string.Empty,
                "status.nominatedNodeName" => pod.Status?.NominatedNodeName ?? string.Empty,
                _ => Unsupported,
            },
            Corev1Event ev => field switch
            {
                "involvedObject.kind" => ev.InvolvedObject?.Kind ?? string.Empty,
                "involvedObject.namespace" => ev.InvolvedObject?.NamespaceProperty ?? string.Empty,
                "involvedObject.name" => ev.InvolvedObject?.Name ?? string.Empty,
                "involvedObject.uid" => ev.InvolvedObject?.Uid ?? string.Empty,
                "involvedObject.apiVersion" => ev.InvolvedObject?.ApiVersion ?? string.Empty,
                "involvedObject.resourceVersion" => ev.InvolvedObject?.ResourceVersion ?? string.Empty,
                "involvedObject.fieldPath" => ev.InvolvedObject?.FieldPath ?? string.Empty,
                "reason" => ev.Reason ?? string.Empty,
                "reportingComponent" => ev.ReportingComponent ?? string.Empty,
                "source" => ev.Source?.Component ?? string.Empty,
                "type" => ev.Type ?? string.Empty,
                _ => Unsupported,
            },
            Eventsv1Event ev => field switch
            {
                "regarding.kind" => ev.Regarding?.Kind ?? string.Empty,
                "regarding.namespace" => ev.Regarding?.NamespaceProperty ?? string.Empty,
                "regarding.name" => ev.Regarding?.Name ?? string.Empty,
                "regarding.uid" => ev.Regarding?.Uid ?? string.Empty,
                "regarding.apiVersion" => ev.Regarding?.ApiVersion ?? string.Empty,
                "reason" => ev.Reason ?? string.Empty,
                "reportingController" => ev.ReportingController ?? string.Empty,
                "type" => ev.Type ?? string.Empty,
                _ => Unsupported,
            },
            V1Secret secret => field == "type" ? secret.Type ?? string.Empty : Unsupported,
            V1Node node => field == "spec.unschedulable" ? (node.Spec?.Unschedulable == true ? "true" : "false") : Unsupported,
            V1Namespace ns => field == "status.phase" ? ns.Status?.Phase ?? string.Empty : Unsupported,
            V1ReplicaSet rs => field == "status.replicas" ? (rs.Status?.Replicas ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) : Unsupported,
            _ => Unsupported,
        },
    };
}
