using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>The API's refusals (404, 409, 422 in the apiserver's wording) and the name and namespace checks that raise them.</summary>
public sealed partial class ClusterApi
{
    internal static ApiException NotFound(ResourceType resource, string name) =>
        new(404, "NotFound", $"{resource.GroupResource} \"{name}\" not found") { Details = (name, resource.Group, resource.Plural) };

    internal static ApiException Invalid(ResourceType resource, string name, string field, string message) =>
        new(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {field}: {message}")
        {
            Details = (name, resource.Group, resource.Kind),
            Causes = [new ApiStatusCause("FieldValueInvalid", message, field)],
        };

    internal static ApiException Conflict(ResourceType resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again")
        {
            Details = (name, resource.Group, resource.Plural),
        };

    private static bool IsValidName(ResourceType resource, string name)
    {
        if (resource.Group == "rbac.authorization.k8s.io")
        {
            return name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && name is not "." and not "..";
        }

        var max = resource.ModelType == typeof(V1Namespace) ? 63 : 253;
        return name.Length <= max && ValidName().IsMatch(name);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex ValidName();

    private void CheckNamespace(ResourceType resource, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (!resource.Namespaced)
        {
            obj.Metadata.NamespaceProperty = null;
            return;
        }

        if (string.IsNullOrEmpty(obj.Metadata.NamespaceProperty))
        {
            throw Invalid(resource, obj.Metadata.Name ?? string.Empty, "metadata.namespace", "Required value");
        }

        var ns = Store(typeof(V1Namespace)).Get(null, obj.Metadata.NamespaceProperty);
        if (ns is null)
        {
            throw NotFound(ResourceRegistry.ForType(typeof(V1Namespace)), obj.Metadata.NamespaceProperty);
        }

        if (ns.Metadata.DeletionTimestamp is not null)
        {
            throw new ApiException(403, "Forbidden", $"{resource.GroupResource} \"{obj.Metadata.Name ?? obj.Metadata.GenerateName}\" is forbidden: unable to create new content in namespace {ns.Metadata.Name} because it is being terminated");
        }
    }
}
