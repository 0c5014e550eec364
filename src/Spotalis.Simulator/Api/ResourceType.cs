using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>One REST resource the simulated apiserver serves: where it lives in the URL space and which model holds it.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    Type ModelType,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Subresources)
{
    /// <summary>Discovery categories (e.g. <c>all</c>), from a CustomResourceDefinition's names.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary><c>v1</c> for the core group, otherwise <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The <c>ListKind</c> name used in list responses (e.g. PodList).</summary>
    public string ListKind => Kind + "List";

    /// <summary>The Kubernetes "group resource" name used in error messages (e.g. <c>pods</c>, <c>deployments.apps</c>).</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Whether the kind has a <c>status</c> subresource (main-resource writes then leave status alone).</summary>
    public bool HasStatus => Subresources.Contains("status");

    /// <summary>Defined by a CustomResourceDefinition (stored as <see cref="CustomObject"/>).</summary>
    public bool IsCustom => ModelType == typeof(CustomObject);

    /// <summary>Whether <paramref name="obj"/> is an object of this resource.</summary>
    public bool Holds(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.GetType() == ModelType && (obj is not CustomObject custom || (custom.Kind == Kind && custom.Group == Group));
}
