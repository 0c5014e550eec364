using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>Builds pods from a workload's pod template (a private deep copy each time).</summary>
internal sealed class PodFactory
{
    private readonly Dictionary<string, (string Version, string Json)> _templates = new(StringComparer.Ordinal);

    /// <summary>
    /// A new pod from <paramref name="template"/> owned (as controller) by the object of <paramref name="ownerMeta"/>. The template's
    /// JSON is cached per owner resourceVersion, so creating many pods of one workload parses little.
    /// </summary>
    public V1Pod Create(V1ObjectMeta ownerMeta, string ownerApiVersion, string ownerKind, V1PodTemplateSpec template)
    {
        var json = TemplateJson(ownerMeta, template);
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(json);
        var metadata = copy.Metadata ?? new V1ObjectMeta();
        metadata.NamespaceProperty = ownerMeta.NamespaceProperty;
        metadata.Name = null;
        metadata.Uid = null;
        metadata.ResourceVersion = null;
        metadata.CreationTimestamp = null;
        metadata.OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = ownerApiVersion,
                Kind = ownerKind,
                Name = ownerMeta.Name,
                Uid = ownerMeta.Uid,
                Controller = true,
                BlockOwnerDeletion = true,
            },
        ];
        return new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = metadata, Spec = copy.Spec ?? new V1PodSpec() };
    }

    private string TemplateJson(V1ObjectMeta owner, V1PodTemplateSpec template)
    {
        var version = owner.ResourceVersion ?? string.Empty;
        lock (_templates)
        {
            if (_templates.TryGetValue(owner.Uid, out var cached) && cached.Version == version)
            {
                return cached.Json;
            }

            var json = KubernetesJson.Serialize(template);
            _templates[owner.Uid] = (version, json);
            return json;
        }
    }

    public void Forget(string ownerUid)
    {
        lock (_templates)
        {
            _templates.Remove(ownerUid);
        }
    }
}
